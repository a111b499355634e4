#include "clearcut/provenance/c2pa/c2pa_reader.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <set>

#include "clearcut/base/file.h"
#include "clearcut/crypto/time_stamp.h"
#include "clearcut/provenance/c2pa/actions_assertion.h"
#include "clearcut/provenance/c2pa/cose.h"
#include "clearcut/provenance/c2pa/digest.h"
#include "clearcut/provenance/c2pa/hard_binding.h"
#include "clearcut/provenance/c2pa/ingredient.h"

namespace clearcut::c2pa {

using base::Result;

namespace {

constexpr int kMaxIngredientDepth = 32;
constexpr std::string_view kSignatureBox = "c2pa.signature";
constexpr std::string_view kAssertionStore = "c2pa.assertions";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string assertion_uri(std::string_view manifest, std::string_view label) {
  return absolute_jumbf_uri(manifest, std::string(kAssertionStore) + "/" + std::string(label));
}

// The manifest a URI names, as c2pa-rs resolves ingredient references: the label of an
// absolute JUMBF URI, or the text itself.
std::string manifest_label_of(std::string_view url) {
  if (auto parsed = parse_jumbf_uri(url); parsed && !parsed->manifest.empty()) {
    return parsed->manifest;
  }
  return std::string(url);
}

// The validation of one manifest store against its asset (C2PA §15). Collects statuses as
// it goes; see C2paReport for how they are split into the three answers.
class StoreValidator {
 public:
  StoreValidator(const ManifestStore& store, std::span<const uint8_t> asset,
                 const ReadOptions& options)
      : store_(store), asset_(asset), options_(options) {
    now_ = options.now.value_or(std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  }

  void run() {
    const Manifest& active = *store_.active_manifest();
    std::set<std::string> visited = {active.label};
    verify_claim(active, "");
    check_ingredients(active, "", 0, &visited);
    check_hard_binding(active);
  }

  std::vector<ValidationStatus> take_statuses() { return std::move(statuses_); }
  std::vector<SignerReport> take_signers() { return std::move(signers_); }
  // Absolute URIs of the assertions whose hashed URI matched, and labels of the manifests
  // whose claim signature verified: recorded here because the statuses that say so may be
  // dropped later as already recorded by an ingredient.
  const std::set<std::string>& intact_assertions() const { return intact_assertions_; }
  const std::set<std::string>& validated_manifests() const { return validated_manifests_; }

 private:
  void log(std::string_view code, std::string url, std::string explanation,
           const std::string& ingredient_uri) {
    ValidationStatus s;
    s.code = std::string(code);
    s.url = std::move(url);
    s.explanation = std::move(explanation);
    s.kind = status_kind(code);
    s.ingredient_uri = ingredient_uri;
    statuses_.push_back(std::move(s));
  }

  // C2PA §15.6-15.10 for one manifest: signature, credential, time-stamp, assertions.
  void verify_claim(const Manifest& manifest, const std::string& ingredient_uri) {
    const std::string sig_uri = absolute_jumbf_uri(manifest.label, kSignatureBox);
    SignerReport signer;
    signer.manifest_label = manifest.label;
    signer.active_manifest = ingredient_uri.empty();
    auto fail = [&](std::string_view code, std::string explanation) {
      log(code, sig_uri, std::move(explanation), ingredient_uri);
    };

    // §15.6: the claim's signature reference must name this manifest's signature box.
    auto sig_ref = parse_jumbf_uri(manifest.claim.signature);
    if (!sig_ref || (!sig_ref->manifest.empty() && sig_ref->manifest != manifest.label) ||
        sig_ref->path != std::vector<std::string>{std::string(kSignatureBox)}) {
      fail(status::kClaimSignatureMissing,
           "claim signature reference " + manifest.claim.signature + " is not this manifest's");
    }

    verify_signature(manifest, sig_uri, ingredient_uri, &signer);
    // A manifest several ingredients reference is checked each time but reported once.
    bool known = std::any_of(signers_.begin(), signers_.end(), [&](const SignerReport& s) {
      return s.manifest_label == manifest.label;
    });
    if (!known) {
      signers_.push_back(std::move(signer));
    }
    verify_assertions(manifest, ingredient_uri);
  }

  void verify_signature(const Manifest& manifest, const std::string& sig_uri,
                        const std::string& ingredient_uri, SignerReport* signer) {
    auto fail = [&](std::string_view code, std::string explanation) {
      log(code, sig_uri, std::move(explanation), ingredient_uri);
    };
    auto sign1 = CoseSign1::parse(store_.bytes(manifest.signature_cbor));
    if (!sign1.has_value()) {
      fail(status::kClaimSignatureMismatch,
           "claim signature unreadable: " + sign1.error().message());
      return;
    }
    std::optional<CoseAlgorithm> algorithm;
    if (auto id = sign1->algorithm_id()) {
      algorithm = cose_algorithm_from_id(*id);
    }
    if (!algorithm) {
      fail(status::kAlgorithmUnsupported, "COSE signature algorithm missing or not allowed");
      fail(status::kClaimSignatureMismatch, "claim signature cannot be verified");
      return;
    }
    signer->algorithm = std::string(cose_algorithm_name(*algorithm));
    std::vector<std::vector<uint8_t>> chain = sign1->certificate_chain();
    if (chain.empty()) {
      fail(status::kSigningCredentialInvalid, "no x5chain in the COSE headers");
      fail(status::kClaimSignatureMismatch, "claim signature cannot be verified");
      return;
    }
    if (auto info = read_certificate(chain.front()); info.has_value()) {
      signer->certificate = std::move(info).value();
    }
    bool ecdsa = *algorithm == CoseAlgorithm::kEs256 || *algorithm == CoseAlgorithm::kEs384 ||
                 *algorithm == CoseAlgorithm::kEs512;
    if (ecdsa && is_der_ecdsa_signature(sign1->signature)) {
      // RFC 9053 §2.1 / C2PA §13.2: ECDSA signatures are r‖s; DER is a signer error.
      fail(status::kSigningCredentialInvalid, "ECDSA signature in DER instead of r|s");
      fail(status::kClaimSignatureMismatch, "claim signature cannot be verified");
      return;
    }
    std::span<const uint8_t> claim_bytes = store_.bytes(manifest.claim_cbor);

    std::optional<int64_t> signing_time =
        check_time_stamp_of(*sign1, claim_bytes, sig_uri, ingredient_uri);
    signer->time_stamp = signing_time;

    // §14.5.1 profile, validity first (at the time-stamp when there is one, else now).
    bool expired = false;
    if (signer->certificate) {
      int64_t at = signing_time.value_or(now_);
      if (!signer->certificate->valid_at(at)) {
        expired = true;
        fail(status::kSigningCredentialExpired, "signing certificate not valid at " +
                                                    std::to_string(at) +
                                                    (signing_time ? " (time-stamp)" : " (now)"));
      }
    }
    signer->profile_problems = signer_profile_problems(chain.front(), options_.accepted_ekus);
    if (!expired && !signer->profile_problems.empty()) {
      std::string joined;
      for (const std::string& problem : signer->profile_problems) {
        joined += (joined.empty() ? "" : "; ") + problem;
      }
      fail(status::kSigningCredentialInvalid, "signing certificate: " + joined);
    }

    // §14.4: chain to a configured anchor.
    static const TrustAnchors kNoAnchors;
    const TrustAnchors& anchors =
        options_.trust_anchors != nullptr ? *options_.trust_anchors : kNoAnchors;
    std::vector<std::vector<uint8_t>> intermediates(chain.begin() + 1, chain.end());
    ChainVerdict trust =
        verify_certificate_chain(anchors, chain.front(), intermediates, signing_time);
    signer->chain_trusted = trust.trusted;
    signer->untrusted_reason = trust.reason;
    if (trust.trusted) {
      log(status::kSigningCredentialTrusted, sig_uri, "signing certificate chains to an anchor",
          ingredient_uri);
    } else {
      fail(status::kSigningCredentialUntrusted, "signing certificate untrusted: " + trust.reason);
    }

    // §15.7: the signature over Sig_structure("Signature1", protected, h'', claim).
    std::vector<uint8_t> tbs =
        cose_sig_structure("Signature1", sign1->protected_bytes, claim_bytes);
    auto verified = verify_cose_signature(*algorithm, chain.front(), tbs, sign1->signature);
    if (verified.has_value() && *verified) {
      if (!expired) {
        log(status::kClaimSignatureInsideValidity, sig_uri, "claim signature valid",
            ingredient_uri);
      }
      log(status::kClaimSignatureValidated, sig_uri, "claim signature valid", ingredient_uri);
      validated_manifests_.insert(manifest.label);
    } else {
      fail(status::kClaimSignatureMismatch,
           verified.has_value() ? "claim signature is not valid" : verified.error().message());
    }
  }

  // C2PA §10.3.2.5: sigTst2 covers the signature (v2), sigTst the claim (v1), both through a
  // CounterSignature Sig_structure. Returns the time when the time-stamp holds.
  std::optional<int64_t> check_time_stamp_of(const CoseSign1& sign1,
                                             std::span<const uint8_t> claim_bytes,
                                             const std::string& sig_uri,
                                             const std::string& ingredient_uri) {
    const CborValue* container = sign1.unprotected("sigTst2");
    bool v2 = container != nullptr;
    if (!v2) {
      container = sign1.unprotected("sigTst");
    }
    if (container == nullptr) {
      return std::nullopt;
    }
    const CborValue* tokens = container->find("tstTokens");
    const CborValue* first =
        tokens != nullptr && tokens->is_array() && tokens->size() > 0 ? &tokens->at(0) : nullptr;
    const CborValue* val = first != nullptr ? first->find("val") : nullptr;
    if (val == nullptr || !val->is_bytes()) {
      log(status::kTimeStampMalformed, sig_uri, "time-stamp container unreadable", ingredient_uri);
      return std::nullopt;
    }
    std::vector<uint8_t> payload;
    if (v2) {
      payload = encode_cbor(CborValue::bytes(sign1.signature));
    } else {
      payload.assign(claim_bytes.begin(), claim_bytes.end());
    }
    std::vector<uint8_t> message =
        cose_sig_structure("CounterSignature", sign1.protected_bytes, payload);
    auto check = crypto::check_time_stamp(val->bytes_value(), message);
    if (!check.has_value()) {
      log(status::kTimeStampMalformed, sig_uri, check.error().message(), ingredient_uri);
      return std::nullopt;
    }
    if (!check->validated()) {
      log(status::kTimeStampMismatch, sig_uri,
          check->imprint_matches ? "time-stamp signature invalid"
                                 : "time-stamp does not cover this signature",
          ingredient_uri);
      return std::nullopt;
    }
    log(status::kTimeStampValidated, sig_uri, "time-stamp message digest matched: " + check->tsa,
        ingredient_uri);
    return check->gen_time;
  }

  std::optional<HashAlgorithm> claim_algorithm(const Manifest& manifest) {
    return hash_algorithm_from_name(manifest.claim.alg.value_or(""));
  }

  // C2PA §15.10: every referenced assertion is in this manifest and hashes as claimed; the
  // store holds nothing the claim does not reference.
  void verify_assertions(const Manifest& manifest, const std::string& ingredient_uri) {
    std::vector<bool> referenced(manifest.assertions.size(), false);
    auto default_algorithm = claim_algorithm(manifest);
    for (const HashedUri* ref : manifest.claim.assertion_refs()) {
      auto uri = parse_jumbf_uri(ref->url);
      if (!uri) {
        log(status::kAssertionHashedUriMismatch, ref->url, "assertion URI malformed",
            ingredient_uri);
        continue;
      }
      if (!uri->manifest.empty() && uri->manifest != manifest.label) {
        log(status::kAssertionOutsideManifest, ref->url,
            "assertion reference to another manifest's store", ingredient_uri);
        continue;
      }
      std::string label =
          uri->path.size() == 2 && uri->path[0] == kAssertionStore ? uri->path[1] : std::string();
      std::string absolute = assertion_uri(manifest.label, label);
      auto found = std::find_if(manifest.assertions.begin(), manifest.assertions.end(),
                                [&](const Assertion& a) { return a.label == label; });
      if (label.empty() || found == manifest.assertions.end()) {
        log(status::kAssertionMissing, label.empty() ? ref->url : absolute,
            "cannot find the referenced assertion", ingredient_uri);
        continue;
      }
      referenced[static_cast<size_t>(found - manifest.assertions.begin())] = true;
      auto algorithm = ref->alg ? hash_algorithm_from_name(*ref->alg) : default_algorithm;
      if (!algorithm) {
        log(status::kAlgorithmUnsupported, absolute, "hash algorithm not allowed", ingredient_uri);
        continue;
      }
      if (digest(*algorithm, store_.bytes(found->contents)) != ref->hash) {
        log(status::kAssertionHashedUriMismatch, absolute,
            "hash does not match assertion data: " + ref->url, ingredient_uri);
      } else {
        intact_assertions_.insert(absolute);
        log(status::kAssertionHashedUriMatch, absolute, "hashed uri matched: " + ref->url,
            ingredient_uri);
      }
    }
    for (size_t i = 0; i < referenced.size(); ++i) {
      if (!referenced[i]) {
        log(status::kAssertionUndeclared,
            assertion_uri(manifest.label, manifest.assertions[i].label),
            "assertion is not referenced by the claim", ingredient_uri);
      }
    }
  }

  // C2PA §15.11: each ingredient with a manifest reference names a manifest of this store
  // whose box hashes as recorded, and that manifest validates in turn.
  void check_ingredients(const Manifest& manifest, const std::string& parent_ingredient_uri,
                         int depth, std::set<std::string>* visited) {
    if (depth >= kMaxIngredientDepth) {
      log(status::kGeneralError, absolute_jumbf_uri(manifest.label),
          "ingredients nested deeper than " + std::to_string(kMaxIngredientDepth),
          parent_ingredient_uri);
      return;
    }
    for (const Assertion& assertion : manifest.assertions) {
      if (!assertion.is("c2pa.ingredient")) {
        continue;
      }
      std::string uri = assertion_uri(manifest.label, assertion.label);
      if (!assertion.cbor) {
        log(status::kAssertionIngredientMalformed, uri, "ingredient assertion is not CBOR",
            parent_ingredient_uri);
        continue;
      }
      auto ingredient = Ingredient::from_cbor(*assertion.cbor, assertion.version());
      if (!ingredient.has_value()) {
        log(status::kAssertionIngredientMalformed, uri, ingredient.error().message(),
            parent_ingredient_uri);
        continue;
      }
      if (!ingredient->manifest) {
        if (ingredient->relationship != "inputTo") {
          log(status::kIngredientUnknownProvenance, uri,
              ingredient->title.value_or("no title") + ": ingredient does not have provenance",
              uri);
        }
        continue;
      }
      const HashedUri& ref = *ingredient->manifest;
      std::string label = manifest_label_of(ref.url);
      const Manifest* target = store_.find(label);
      if (target == nullptr) {
        log(status::kIngredientManifestMissing, label, "ingredient: " + label + " is missing", uri);
        continue;
      }
      auto algorithm = ref.alg ? hash_algorithm_from_name(*ref.alg) : claim_algorithm(*target);
      if (!algorithm) {
        log(status::kAlgorithmUnsupported, ref.url, "ingredient hash algorithm not allowed", uri);
      } else if (digest(*algorithm, store_.bytes(target->contents)) == ref.hash) {
        log(status::kIngredientManifestValidated, ref.url, "ingredient hash matched", uri);
      } else if (digest(*algorithm, store_.bytes(target->claim_cbor)) != ref.hash) {
        // Before C2PA 1.3 the reference hashed the ingredient's claim, not its manifest box.
        log(status::kIngredientManifestMismatch, ref.url, "ingredient hash incorrect", uri);
      }
      verify_claim(*target, uri);
      if (visited->insert(target->label).second) {
        check_ingredients(*target, uri, depth + 1, visited);
      }
    }
  }

  static bool is_hard_binding(const Assertion& a) {
    return a.is("c2pa.hash.data") || a.is("c2pa.hash.bmff") || a.is("c2pa.hash.boxes");
  }

  static bool has_hard_binding(const Manifest& m) {
    return std::any_of(m.assertions.begin(), m.assertions.end(), is_hard_binding);
  }

  // C2PA §15.12: an update manifest binds through its parentOf ingredient.
  const Manifest* binding_manifest(const Manifest& active) {
    std::set<std::string> seen;
    const Manifest* current = &active;
    while (current != nullptr && seen.insert(current->label).second) {
      if (current->kind == ManifestKind::kStandard && has_hard_binding(*current)) {
        return current;
      }
      const Manifest* parent = nullptr;
      for (const Assertion& a : current->assertions) {
        if (!a.is("c2pa.ingredient") || !a.cbor) {
          continue;
        }
        auto ingredient = Ingredient::from_cbor(*a.cbor, a.version());
        if (ingredient.has_value() && ingredient->relationship == "parentOf" &&
            ingredient->manifest) {
          parent = store_.find(manifest_label_of(ingredient->manifest->url));
          break;
        }
      }
      current = parent;
    }
    return nullptr;
  }

  void check_hard_binding(const Manifest& active) {
    const Manifest* binding = binding_manifest(active);
    if (binding == nullptr) {
      log(status::kHardBindingsMissing, absolute_jumbf_uri(active.label),
          "could not find manifest with hard binding", "");
      return;
    }
    std::vector<const Assertion*> hashes;
    for (const Assertion& a : binding->assertions) {
      if (is_hard_binding(a)) {
        hashes.push_back(&a);
      }
    }
    if (hashes.size() > 1) {
      log(status::kHardBindingsMultiple, absolute_jumbf_uri(binding->label),
          "claim has multiple data bindings", "");
    }
    HashAlgorithm fallback = claim_algorithm(*binding).value_or(HashAlgorithm::kSha256);
    for (const Assertion* a : hashes) {
      std::string uri = assertion_uri(binding->label, a->label);
      bool data = a->is("c2pa.hash.data");
      bool bmff = a->is("c2pa.hash.bmff");
      std::string_view malformed =
          data ? status::kAssertionDataHashMalformed : status::kAssertionBmffHashMalformed;
      if (!data && !bmff) {
        log(status::kGeneralError, uri, "box hash (c2pa.hash.boxes) validation not supported", "");
        continue;
      }
      if (!a->cbor) {
        log(malformed, uri, "hash assertion is not CBOR", "");
        continue;
      }
      BindingCheck check;
      if (data) {
        auto parsed = DataHash::from_cbor(*a->cbor);
        if (!parsed.has_value()) {
          log(malformed, uri, parsed.error().message(), "");
          continue;
        }
        if (parsed->exclusions.size() > 1) {
          log(status::kDataHashAdditionalExclusions, uri, "extra data hash exclusions found", "");
        }
        check = verify_data_hash(*parsed, asset_, fallback);
      } else {
        auto parsed = BmffHash::from_cbor(*a->cbor, a->version());
        if (!parsed.has_value()) {
          log(malformed, uri, parsed.error().message(), "");
          continue;
        }
        check = verify_bmff_hash(*parsed, asset_, fallback);
      }
      switch (check.outcome) {
        case BindingCheck::Outcome::kMatch:
          log(data ? status::kAssertionDataHashMatch : status::kAssertionBmffHashMatch, uri,
              check.explanation, "");
          break;
        case BindingCheck::Outcome::kMismatch:
          log(data ? status::kAssertionDataHashMismatch : status::kAssertionBmffHashMismatch, uri,
              check.explanation, "");
          break;
        case BindingCheck::Outcome::kMalformed:
          log(malformed, uri, check.explanation, "");
          break;
        case BindingCheck::Outcome::kUnsupported:
          log(status::kGeneralError, uri, check.explanation, "");
          break;
      }
    }
  }

  const ManifestStore& store_;
  std::span<const uint8_t> asset_;
  const ReadOptions& options_;
  int64_t now_ = 0;
  std::vector<ValidationStatus> statuses_;
  std::vector<SignerReport> signers_;
  std::set<std::string> intact_assertions_;
  std::set<std::string> validated_manifests_;
};

// Results an ingredient assertion already recorded are not news (C2PA §15.11.3): drop them
// when they concern an ingredient's manifest, keeping everything about the active one.
void drop_recorded_ingredient_results(const ManifestStore& store, const std::string& active,
                                      std::vector<ValidationStatus>* statuses) {
  struct Recorded {
    std::string code;
    std::string url;
  };
  std::vector<Recorded> recorded;
  for (const Manifest& manifest : store.manifests()) {
    for (const Assertion& a : manifest.assertions) {
      if (!a.is("c2pa.ingredient") || !a.cbor) {
        continue;
      }
      auto ingredient = Ingredient::from_cbor(*a.cbor, a.version());
      if (!ingredient.has_value()) {
        continue;
      }
      std::string label = ingredient->manifest ? manifest_label_of(ingredient->manifest->url) : "";
      for (const RecordedStatus& s : ingredient->recorded_statuses) {
        std::string url = s.url;
        // Recorded URIs may be relative to the ingredient's manifest.
        if (!label.empty() && starts_with(url, "self#jumbf=") &&
            !starts_with(url, "self#jumbf=/")) {
          url = absolute_jumbf_uri(label, url.substr(std::string_view("self#jumbf=").size()));
        }
        recorded.push_back({s.code, std::move(url)});
      }
    }
  }
  if (recorded.empty()) {
    return;
  }
  auto is_active = [&](const std::string& url) {
    auto parsed = parse_jumbf_uri(url);
    return parsed && parsed->manifest == active;
  };
  std::erase_if(*statuses, [&](const ValidationStatus& s) {
    if (is_active(s.url)) {
      return false;
    }
    return std::any_of(recorded.begin(), recorded.end(),
                       [&](const Recorded& r) { return r.code == s.code && r.url == s.url; });
  });
}

bool is_tolerated(const ValidationStatus& s) {
  return s.code == status::kSigningCredentialUntrusted;
}

// C2PA §14.3 as c2pa-rs computes it: Valid needs a validated, in-validity signature on the
// active manifest and no failure but an untrusted credential anywhere; Trusted adds a
// trusted credential and no failure at all.
Verdict decide(const std::vector<ValidationStatus>& statuses) {
  bool validated = false;
  bool inside_validity = false;
  bool trusted = false;
  bool any_failure = false;
  bool intolerable = false;
  for (const ValidationStatus& s : statuses) {
    bool active = s.ingredient_uri.empty();
    if (active && s.code == status::kClaimSignatureValidated) {
      validated = true;
    }
    if (active && s.code == status::kClaimSignatureInsideValidity) {
      inside_validity = true;
    }
    if (active && s.code == status::kSigningCredentialTrusted) {
      trusted = true;
    }
    if (s.is_failure()) {
      any_failure = true;
      intolerable = intolerable || !is_tolerated(s);
    }
  }
  bool valid = validated && inside_validity && !intolerable;
  if (valid && trusted && !any_failure) {
    return Verdict::kTrusted;
  }
  return valid ? Verdict::kValid : Verdict::kInvalid;
}

// Digital source types of the active manifest's actions and, recursively, its ingredients';
// the ingredient assertions met on the way go to `ingredients`.
AiDisclosure disclose(const ManifestStore& store, const StoreValidator& validator,
                      std::vector<IngredientFinding>* ingredients) {
  struct Visit {
    const Manifest* manifest;
    std::string ingredient_uri;  // empty for the active manifest
    std::string relationship;
  };
  AiDisclosure out;
  const Manifest* active = store.active_manifest();
  std::vector<Visit> queue = {{active, "", ""}};
  std::set<std::string> seen = {active->label};
  for (size_t i = 0; i < queue.size(); ++i) {
    const Manifest& manifest = *queue[i].manifest;
    for (const Assertion& a : manifest.assertions) {
      if (!a.cbor) {
        continue;
      }
      if (a.is("c2pa.actions")) {
        auto actions = ActionsAssertion::from_cbor(*a.cbor, a.version());
        if (!actions.has_value()) {
          continue;
        }
        for (const Action& action : actions->actions) {
          if (!action.digital_source_type) {
            continue;
          }
          SourceTypeFinding f;
          f.uri = *action.digital_source_type;
          f.type = parse_digital_source_type(f.uri);
          f.involvement = ai_involvement(f.type);
          f.manifest_label = manifest.label;
          f.active_manifest = &manifest == active;
          f.ingredient_uri = queue[i].ingredient_uri;
          f.relationship = queue[i].relationship;
          f.assertion_label = a.label;
          f.action = action.action;
          f.software_agent = action.software_agent.value_or("");
          f.verified =
              validator.validated_manifests().count(manifest.label) > 0 &&
              validator.intact_assertions().count(assertion_uri(manifest.label, a.label)) > 0;
          out.findings.push_back(std::move(f));
        }
      } else if (a.is("c2pa.ingredient")) {
        auto ingredient = Ingredient::from_cbor(*a.cbor, a.version());
        if (!ingredient.has_value()) {
          continue;
        }
        IngredientFinding found;
        found.assertion_uri = assertion_uri(manifest.label, a.label);
        found.manifest_label = manifest.label;
        const Manifest* target = nullptr;
        if (ingredient->manifest) {
          found.ingredient_manifest = manifest_label_of(ingredient->manifest->url);
          target = store.find(found.ingredient_manifest);
          found.manifest_present = target != nullptr;
        }
        if (target != nullptr && seen.insert(target->label).second) {
          queue.push_back({target, found.assertion_uri, ingredient->relationship});
        }
        found.ingredient = std::move(ingredient).value();
        ingredients->push_back(std::move(found));
      }
    }
  }
  return out;
}

C2paReport no_manifest(NoManifestReason reason, std::string detail, AssetFormat format) {
  C2paReport report;
  report.verdict = Verdict::kNoManifest;
  report.no_manifest_reason = reason;
  report.detail = std::move(detail);
  report.format = format;
  return report;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNoManifest:
      return "no manifest";
    case Verdict::kInvalid:
      return "Invalid";
    case Verdict::kValid:
      return "Valid";
    case Verdict::kTrusted:
      return "Trusted";
  }
  return "unknown";
}

std::string_view no_manifest_reason_name(NoManifestReason reason) {
  switch (reason) {
    case NoManifestReason::kNone:
      return "";
    case NoManifestReason::kJumbfNotFound:
      return "JumbfNotFound";
    case NoManifestReason::kUnsupportedFormat:
      return "UnsupportedType";
    case NoManifestReason::kUnknownAlgorithm:
      return "UnknownAlgorithm";
    case NoManifestReason::kMalformed:
      return "Malformed";
  }
  return "";
}

bool AiDisclosure::generative_ai() const {
  return std::any_of(findings.begin(), findings.end(), [](const SourceTypeFinding& f) {
    return f.involvement == AiInvolvement::kGenerativeAi;
  });
}

bool AiDisclosure::synthetic() const {
  return std::any_of(findings.begin(), findings.end(), [](const SourceTypeFinding& f) {
    return f.involvement != AiInvolvement::kNone;
  });
}

std::vector<std::string> AiDisclosure::terms() const {
  std::vector<std::string> out;
  for (const SourceTypeFinding& f : findings) {
    std::string term(digital_source_type_term(f.type));
    if (term.empty()) {
      term = f.uri;
    }
    if (std::find(out.begin(), out.end(), term) == out.end()) {
      out.push_back(std::move(term));
    }
  }
  return out;
}

std::vector<std::string> C2paReport::failure_codes() const {
  std::vector<std::string> out;
  for (const ValidationStatus& s : statuses) {
    if (s.is_failure() && std::find(out.begin(), out.end(), s.code) == out.end()) {
      out.push_back(s.code);
    }
  }
  return out;
}

Result<C2paReport> read_c2pa(std::span<const uint8_t> asset, const ReadOptions& options) {
  AssetFormat format = detect_asset_format(asset);
  auto found = find_manifest_store(asset);
  if (!found.has_value()) {
    bool unsupported = found.error().code() == base::ErrorCode::kUnsupported;
    return no_manifest(
        unsupported ? NoManifestReason::kUnsupportedFormat : NoManifestReason::kMalformed,
        found.error().message(), format);
  }
  if (!found->has_value() || (*found)->jumbf.empty()) {
    return no_manifest(NoManifestReason::kJumbfNotFound, "no C2PA manifest store in the asset",
                       format);
  }
  EmbeddedStore embedded = std::move(**found);
  auto parsed = ManifestStore::parse(std::move(embedded.jumbf));
  if (!parsed.has_value()) {
    const base::Error& error = parsed.error();
    bool no_alg = error.code() == base::ErrorCode::kUnsupported && error.field() == "alg";
    return no_manifest(no_alg ? NoManifestReason::kUnknownAlgorithm : NoManifestReason::kMalformed,
                       error.message(), format);
  }
  auto store = std::make_shared<const ManifestStore>(std::move(parsed).value());

  C2paReport report;
  report.format = format;
  report.carriers = std::move(embedded.carriers);
  report.store = store;
  report.active_manifest = store->active_manifest()->label;

  StoreValidator validator(*store, asset, options);
  validator.run();
  report.statuses = validator.take_statuses();
  drop_recorded_ingredient_results(*store, report.active_manifest, &report.statuses);
  report.verdict = decide(report.statuses);

  for (const ValidationStatus& s : report.statuses) {
    if (!s.is_failure()) {
      continue;
    }
    if (starts_with(s.code, "signingCredential.")) {
      report.trust.failures.push_back(s);
    } else {
      report.integrity.failures.push_back(s);
    }
  }
  report.integrity.intact = report.integrity.failures.empty();
  report.trust.signers = validator.take_signers();
  bool active_trusted = !report.trust.signers.empty() && report.trust.signers.front().chain_trusted;
  report.trust.trusted = active_trusted && report.trust.failures.empty();
  report.ai = disclose(*store, validator, &report.ingredients);
  return report;
}

Result<C2paReport> read_c2pa_file(const std::string& path, const ReadOptions& options) {
  std::vector<uint8_t> bytes = CC_TRY(base::read_file_bytes(path));
  return read_c2pa(bytes, options);
}

}  // namespace clearcut::c2pa
