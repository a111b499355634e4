#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include "cmd/clearcut/commands.h"
#include <sys/stat.h>

#include "clearcut/base/file.h"
#include "clearcut/provenance/c2pa/signer_certificate.h"
#include "clearcut/provenance/c2pa/signing_keys.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"

namespace clearcut::cmd {
namespace {

namespace fs = std::filesystem;

struct KeysOptions {
  std::string out;
  bool test_root = false;
  std::string ca_cert;
  std::string ca_key;
  std::string common_name = "clearcut Content Credentials signer";
  std::string organization;
  std::string country;
  int days = 365;
  bool force = false;
  // check
  std::string key;
  std::string cert;
  std::string trust;
};

// Creates `path` with `mode` (private keys 0600) and writes `text`; an existing file is an
// error unless `force`, so a second `init` never loses a key silently.
base::Status write_file(const fs::path& path, const std::string& text, mode_t mode, bool force) {
  auto written = base::write_file_atomic(path.string(), text, {.mode = mode, .replace = force});
  if (!written.has_value() && written.error().code() == base::ErrorCode::kAlreadyExists) {
    return base::Error(base::ErrorCode::kAlreadyExists, "exists (pass --force to replace it)")
        .with_location({path.string(), 0, 0});
  }
  return written;
}

std::string utc(int64_t unix_time) {
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

int run_init(const KeysOptions& options) {
  bool with_ca = !options.ca_cert.empty() || !options.ca_key.empty();
  if (options.test_root == with_ca ||
      (with_ca && (options.ca_cert.empty() || options.ca_key.empty()))) {
    return usage_error("keys init",
                       "pass either --test-root, or --ca-cert and --ca-key (a certificate and key "
                       "from elsewhere need no init: see 'clearcut keys check')");
  }
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec) {
    return usage_error("keys init", options.out + ": " + ec.message());
  }
  const fs::path dir(options.out);

  c2pa::CertificateOptions signer_options;
  signer_options.subject = {options.common_name, options.organization, options.country};
  signer_options.validity_days = options.days;

  std::string ca_cert;
  std::string ca_key;
  if (options.test_root) {
    c2pa::CertificateOptions root_options;
    root_options.subject = {"clearcut test root (not for production)", options.organization,
                            options.country};
    root_options.validity_days = std::max(options.days, 3650);
    auto root = c2pa::generate_root_ca(root_options);
    if (!root.has_value()) {
      return fail("keys init", root.error());
    }
    ca_cert = root->certificate_chain_pem;
    ca_key = root->private_key_pem;
    if (auto s = write_file(dir / "root.key", ca_key, 0600, options.force); !s) {
      return fail("keys init", s.error());
    }
    if (auto s = write_file(dir / "root.pem", ca_cert, 0644, options.force); !s) {
      return fail("keys init", s.error());
    }
  } else {
    auto cert = base::read_file(options.ca_cert);
    auto key = cert.has_value() ? base::read_file(options.ca_key) : cert;
    if (!key.has_value()) {
      return fail("keys init", key.error());
    }
    ca_cert = std::move(cert).value();
    ca_key = std::move(key).value();
  }

  auto signer = c2pa::issue_signer_certificate(signer_options, ca_cert, ca_key);
  std::fill(ca_key.begin(), ca_key.end(), '\0');
  if (!signer.has_value()) {
    return fail("keys init", signer.error());
  }
  if (auto s = write_file(dir / "signer.key", signer->private_key_pem, 0600, options.force); !s) {
    return fail("keys init", s.error());
  }
  if (auto s = write_file(dir / "signer.pem", signer->certificate_chain_pem, 0644, options.force);
      !s) {
    return fail("keys init", s.error());
  }
  auto keys = c2pa::SigningKeys::from_pem(signer->private_key_pem, signer->certificate_chain_pem);
  auto info = keys.has_value() ? c2pa::read_certificate(keys->certificate_chain().front())
                               : base::Result<c2pa::CertificateInfo>(keys.error());
  if (!info.has_value()) {
    return fail("keys init", info.error());
  }
  std::printf("signer key   %s (mode 0600)\n", (dir / "signer.key").c_str());
  std::printf("signer chain %s (%zu certificate(s), root excluded)\n", (dir / "signer.pem").c_str(),
              keys->certificate_chain().size());
  std::printf("subject      %s\n", info->subject.c_str());
  std::printf("issuer       %s\n", info->issuer.c_str());
  std::printf("valid        %s .. %s\n", utc(info->not_before).c_str(),
              utc(info->not_after).c_str());
  if (options.test_root) {
    std::printf("test root    %s, key %s (mode 0600)\n", (dir / "root.pem").c_str(),
                (dir / "root.key").c_str());
    std::printf("validators trust these manifests only with %s as a trust anchor\n",
                (dir / "root.pem").c_str());
  }
  return 0;
}

int run_check(const KeysOptions& options) {
  auto keys = c2pa::SigningKeys::load(options.key, options.cert);
  if (!keys.has_value()) {
    return fail("keys check", keys.error());
  }
  const std::vector<uint8_t>& leaf = keys->certificate_chain().front();
  auto info = c2pa::read_certificate(leaf);
  if (!info.has_value()) {
    return fail("keys check", info.error());
  }
  std::vector<std::string> problems =
      c2pa::signer_profile_problems(leaf, c2pa::default_signer_ekus());
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (!info->valid_at(now)) {
    problems.push_back("not valid now (" + utc(info->not_before) + " .. " + utc(info->not_after) +
                       ")");
  }
  if (!options.trust.empty()) {
    auto anchors = c2pa::TrustAnchors::load_pem_file(options.trust);
    if (!anchors.has_value()) {
      return fail("keys check", anchors.error());
    }
    std::vector<std::vector<uint8_t>> intermediates(keys->certificate_chain().begin() + 1,
                                                    keys->certificate_chain().end());
    c2pa::ChainVerdict chain = c2pa::verify_certificate_chain(*anchors, leaf, intermediates, now);
    if (!chain.trusted) {
      problems.push_back("does not chain to " + options.trust + ": " + chain.reason);
    }
  }
  std::printf("subject   %s\n", info->subject.c_str());
  std::printf("issuer    %s\n", info->issuer.c_str());
  std::printf("algorithm %s, x5chain of %zu certificate(s)\n",
              std::string(c2pa::cose_algorithm_name(keys->algorithm())).c_str(),
              keys->certificate_chain().size());
  std::printf("valid     %s .. %s\n", utc(info->not_before).c_str(), utc(info->not_after).c_str());
  for (const std::string& p : problems) {
    std::printf("problem   %s\n", p.c_str());
  }
  std::printf("%s\n", problems.empty() ? "fits the C2PA claim-signer profile"
                                       : "does NOT fit the C2PA claim-signer profile");
  return problems.empty() ? kExitOk : kExitNo;
}

}  // namespace

void add_keys_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<KeysOptions>();
  CLI::App* keys = app.add_subcommand("keys", "Content Credentials (C2PA) signing keys");
  keys->require_subcommand(1);

  CLI::App* init = keys->add_subcommand(
      "init",
      "Generate an EC P-256 signing key and a C2PA claim-signer certificate (signer.key, "
      "signer.pem) issued by a private CA: --ca-cert/--ca-key, or a new test root (root.pem, "
      "root.key) with --test-root. Keys are written with mode 0600.");
  init->add_option("--out", options->out, "Folder for the files (created when missing)")
      ->required();
  init->add_flag("--test-root", options->test_root,
                 "Also generate a root CA to issue from (tests and demos only)");
  init->add_option("--ca-cert", options->ca_cert,
                   "PEM certificate of the issuing CA, optionally followed by its own chain")
      ->check(CLI::ExistingFile);
  init->add_option("--ca-key", options->ca_key, "PEM private key of the issuing CA")
      ->check(CLI::ExistingFile);
  init->add_option("--name", options->common_name, "Common name of the signer")
      ->capture_default_str();
  init->add_option("--organization", options->organization, "Organization (O) of the signer");
  init->add_option("--country", options->country, "Two-letter country (C) of the signer");
  init->add_option("--days", options->days, "Validity of the signer certificate in days")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  init->add_flag("--force", options->force, "Replace existing files");
  init->footer(exit_codes_footer({{kExitOk, "the keys are written"}}));
  init->callback([options, exit_code] { *exit_code = run_init(*options); });

  CLI::App* check = keys->add_subcommand(
      "check",
      "Check that a key and certificate chain (yours or made by init) can sign Content "
      "Credentials: the key fits the certificate, the certificate fits the C2PA profile and "
      "is valid now, and with --trust that it chains to the given roots");
  check->add_option("--key", options->key, "PEM private key")->required();
  check->add_option("--cert", options->cert, "PEM certificate chain, signer first")->required();
  check->add_option("--trust", options->trust, "PEM trust anchors (root certificates)");
  check->footer(exit_codes_footer({{kExitOk, "the key and chain can sign Content Credentials"},
                                   {kExitNo, "they cannot: each problem is listed"}}));
  check->callback([options, exit_code] { *exit_code = run_check(*options); });
}

}  // namespace clearcut::cmd
