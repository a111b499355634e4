#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "cmd/clearcut/commands.h"
#include "cmd/clearcut/http_call.h"
#include <nlohmann/json.hpp>

#include "clearcut/api/json_views.h"
#include "clearcut/app/service.h"
#include "clearcut/provenance/c2pa/signing_keys.h"
#include "clearcut/stamp/stamper.h"

namespace clearcut::cmd {
namespace {

namespace fs = std::filesystem;

struct StampOptions {
  std::string file;
  int64_t use_case = 0;
  std::string out;
  bool force = false;
  app::ServiceConfig config;
  bool db_given = false;
  std::string server;
  std::string token;
  std::string as;
  std::string key_dir;
  std::string cert;
  std::string private_key;
  std::string trust;
  std::string watermark_key_file;
  std::string watermark_passphrase_env;
  std::string tool = "unspecified generative AI tool";
  std::string tool_version;
  std::string source_type = "trainedAlgorithmicMedia";
  bool strip_gps = false;
  bool strip_exif = false;
};

// A nonzero payload nobody can guess: the watermark names the asset row, whose id does not
// exist yet when the pixels are marked (the row needs the stamped file's SHA-256).
uint64_t random_payload() {
  std::random_device device;
  uint64_t payload = 0;
  while (payload == 0) {
    payload = (uint64_t{device()} << 32) ^ device();
  }
  return payload;
}

int run_stamp(const StampOptions& options) {
  // Everything the user must fix is checked before any pixel is touched.
  const bool remote = !options.server.empty();
  if (options.db_given == remote) {
    return usage_error("stamp",
                       "pass either --db URL --as EMAIL or --server URL --token T (the registry)");
  }
  if (!remote && options.as.empty()) {
    return usage_error("stamp", "--as EMAIL names the partner registering the output");
  }
  if (remote && options.token.empty()) {
    return usage_error("stamp",
                       "--server needs --token (an API token: 'clearcut admin create-token')");
  }
  std::string cert = options.cert;
  std::string private_key = options.private_key;
  std::string trust = options.trust;
  if (!options.key_dir.empty()) {
    cert = (fs::path(options.key_dir) / "signer.pem").string();
    private_key = (fs::path(options.key_dir) / "signer.key").string();
    std::error_code ec;
    if (trust.empty() && fs::exists(fs::path(options.key_dir) / "root.pem", ec)) {
      trust = (fs::path(options.key_dir) / "root.pem").string();
    }
  }
  if (cert.empty() || private_key.empty()) {
    return usage_error(
        "stamp", "pass --key DIR (from 'clearcut keys init') or --cert PEM --private-key PEM");
  }
  c2pa::DigitalSourceType source_type = c2pa::parse_digital_source_type(options.source_type);
  if (source_type != c2pa::DigitalSourceType::kTrainedAlgorithmicMedia &&
      source_type != c2pa::DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia) {
    return usage_error(
        "stamp",
        "--source-type is trainedAlgorithmicMedia or compositeWithTrainedAlgorithmicMedia");
  }
  std::error_code ec;
  if (!fs::is_regular_file(options.file, ec)) {
    return usage_error("stamp", options.file + ": no such file");
  }
  auto signer = c2pa::SigningKeys::load(private_key, cert);
  if (!signer.has_value()) {
    return fail("stamp", signer.error());
  }
  std::optional<c2pa::TrustAnchors> anchors;
  if (!trust.empty()) {
    auto loaded = c2pa::TrustAnchors::load_pem_file(trust);
    if (!loaded.has_value()) {
      return fail("stamp", loaded.error());
    }
    anchors = std::move(*loaded);
  }
  auto wm_key =
      stamp::load_watermark_key(options.watermark_key_file, options.watermark_passphrase_env);
  if (!wm_key.has_value()) {
    return fail("stamp", wm_key.error());
  }

  std::unique_ptr<app::Service> service;
  clearance::Actor actor;
  domain::UseCase use_case;
  domain::Production production;
  if (remote) {
    // The server checks the caller's role when the asset is registered; nothing is in place
    // before that answer.
    auto reply =
        http_call(options.server, "GET", "/api/v1/use-cases/" + std::to_string(options.use_case),
                  options.token, "");
    if (!reply.has_value()) {
      return fail("stamp", reply.error());
    }
    if (reply->status != 200) {
      return fail("stamp", http_error(*reply, "use case " + std::to_string(options.use_case)));
    }
    auto j = nlohmann::json::parse(reply->body, nullptr, false);
    auto state = j.is_object() ? domain::parse_use_case_state(j.value("state", ""))
                               : std::optional<domain::UseCaseState>();
    if (!state) {
      return fail("stamp", base::Error(base::ErrorCode::kUnavailable,
                                       "unexpected use case from " + options.server));
    }
    use_case.id = j.value("id", int64_t{0});
    use_case.production_id = j.value("production_id", int64_t{0});
    use_case.state = *state;
    production.id = use_case.production_id;
    auto list = http_call(options.server, "GET", "/api/v1/productions", options.token, "");
    if (list.has_value() && list->status == 200) {
      auto items = nlohmann::json::parse(list->body, nullptr, false);
      if (items.is_object() && items.contains("items") && items["items"].is_array()) {
        for (const auto& p : items["items"]) {
          if (p.value("id", int64_t{0}) == production.id) {
            production.code = p.value("code", "");
          }
        }
      }
    }
  } else {
    auto opened = app::Service::open(options.config);
    if (!opened.has_value()) {
      return fail("stamp", opened.error());
    }
    service = std::move(*opened);
    auto tx = service->store().begin();
    if (!tx.has_value()) {
      return fail("stamp", tx.error());
    }
    auto user = (*tx)->accounts().find_user_by_email(options.as);
    if (!user.has_value()) {
      return fail("stamp", user.error());
    }
    if (!*user) {
      return usage_error("stamp", "no user " + options.as);
    }
    auto found_actor = service->accounts().actor_for(**tx, (*user)->id);
    auto found_use_case = found_actor.has_value()
                              ? (*tx)->use_cases().get(options.use_case)
                              : base::Result<domain::UseCase>(found_actor.error());
    if (!found_use_case.has_value()) {
      return fail("stamp", found_use_case.error());
    }
    auto found_production = (*tx)->accounts().get_production(found_use_case->production_id);
    if (!found_production.has_value()) {
      return fail("stamp", found_production.error());
    }
    actor = std::move(*found_actor);
    use_case = std::move(*found_use_case);
    production = std::move(*found_production);
    if (!actor.has_role(production.id, domain::Role::kPartner)) {
      return usage_error("stamp", options.as + " is not a partner on " + production.code +
                                      ": only its partners register outputs of use case " +
                                      std::to_string(use_case.id));
    }
  }
  if (use_case.state == domain::UseCaseState::kWithdrawn ||
      use_case.state == domain::UseCaseState::kRejected) {
    return usage_error("stamp", "use case " + std::to_string(use_case.id) + " is " +
                                    std::string(domain::use_case_state_name(use_case.state)) +
                                    ": outputs are not registered against it");
  }

  stamp::StampRequest request;
  request.input = options.file;
  request.output = options.out;
  request.force = options.force;
  request.manifest.digital_source_type = source_type;
  request.manifest.software_agent.name = options.tool;
  if (!options.tool_version.empty()) {
    request.manifest.software_agent.version = options.tool_version;
  }
  // The asset id is assigned when the row is inserted, after the file is signed; the row is
  // found from the file by SHA-256 or by watermark payload instead (see the report).
  request.manifest.registration =
      c2pa::Registration{std::to_string(use_case.id), production.code, ""};
  request.manifest.title = fs::path(options.file).filename().string();
  request.watermark_payload = random_payload();
  request.watermark_key = *wm_key ? &**wm_key : nullptr;
  request.signer = &*signer;
  request.trust_anchors = anchors ? &*anchors : nullptr;
  request.strip.gps = options.strip_gps;
  request.strip.exif = options.strip_exif;
  auto staged = stamp::stage_stamp(request);
  if (!staged.has_value()) {
    return fail("stamp", staged.error());
  }
  const stamp::OutputInspection& seen = staged->inspection();

  domain::Asset asset;
  asset.production_id = production.id;
  asset.use_case_id = use_case.id;
  asset.file_name = fs::path(staged->path()).filename().string();
  asset.media_type = seen.media_type;
  asset.sha256 = seen.sha256;
  asset.pdq = seen.pdq;
  asset.pdq_quality = seen.pdq_quality;
  asset.width = seen.width;
  asset.height = seen.height;
  asset.duration_ms = seen.duration_ms;
  asset.manifest_id = staged->manifest_id();
  asset.watermark_payload = seen.mark && seen.mark->found ? request.watermark_payload : 0;
  asset.thumbnail = staged->thumbnail();
  asset.frame_pdq = seen.frame_pdq;
  asset.audio_fingerprint = seen.audio_fingerprint;
  int64_t asset_id = 0;
  std::string asset_status;
  if (remote) {
    nlohmann::json body = api::to_json(asset, api::AssetJson::kRequest);
    auto reply = http_call(options.server, "POST",
                           "/api/v1/productions/" + std::to_string(production.id) + "/assets",
                           options.token, body.dump());
    if (!reply.has_value()) {
      return fail("stamp", reply.error());  // the staged file is removed on the way out
    }
    if (reply->status != 201) {
      return fail("stamp", http_error(*reply, "register"));
    }
    auto j = nlohmann::json::parse(reply->body, nullptr, false);
    asset_id = j.is_object() ? j.value("id", int64_t{0}) : 0;
    asset_status = j.is_object() ? j.value("status", "") : "";
  } else {
    auto registered = service->assets().register_asset(actor, asset);
    if (!registered.has_value()) {
      return fail("stamp", registered.error());  // the staged file is removed on the way out
    }
    asset_id = registered->id;
    asset_status = domain::asset_status_name(registered->status);
  }
  if (auto status = staged->commit(options.force); !status.has_value()) {
    std::fprintf(stderr,
                 "clearcut stamp: asset %lld was registered but the file could not be put in "
                 "place\n",
                 static_cast<long long>(asset_id));
    return fail("stamp", status.error());
  }

  std::printf("stamped     %s -> %s\n", options.file.c_str(), staged->path().c_str());
  std::printf("asset       %lld (%s) on use case %lld, production %s\n",
              static_cast<long long>(asset_id), asset_status.c_str(),
              static_cast<long long>(use_case.id), production.code.c_str());
  std::printf("media       %s %dx%d", seen.media_type.c_str(), seen.width, seen.height);
  if (seen.duration_ms > 0) {
    std::printf(" %lld ms", static_cast<long long>(seen.duration_ms));
  }
  std::printf("\nsha256      %s\n", seen.sha256.c_str());
  std::printf("pdq         %s (quality %d)\n", seen.pdq.empty() ? "-" : seen.pdq.c_str(),
              seen.pdq_quality);
  if (staged->manifest_id().empty()) {
    std::printf("c2pa        - (the format carries none)\n");
  } else {
    std::printf("c2pa        %s, manifest %s, %s\n",
                std::string(c2pa::verdict_name(seen.c2pa.verdict)).c_str(),
                staged->manifest_id().c_str(), options.source_type.c_str());
  }
  if (asset.watermark_payload != 0) {
    std::printf("watermark   %llu (read back%s)\n",
                static_cast<unsigned long long>(request.watermark_payload),
                seen.media_type == "video/mp4" ? " from the first frames" : "");
  } else {
    std::printf("watermark   - (not embedded)\n");
  }
  if (seen.media_type != "video/mp4") {
    std::printf("xmp         %s\n", seen.xmp.digital_source_type.value_or("-").c_str());
  }
  for (const std::string& note : staged->notes()) {
    std::printf("note        %s\n", note.c_str());
  }
  return 0;
}

}  // namespace

void add_stamp_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<StampOptions>();
  CLI::App* stamp = app.add_subcommand(
      "stamp", "Watermark, label and sign an AI output, and register it (provisional)");
  stamp->add_option("file", options->file, "JPEG, PNG, MP4, M4A or WAV to stamp (never modified)")
      ->required();
  stamp->add_option("--use-case", options->use_case, "The use case the output belongs to")
      ->required();
  stamp->add_option("--out", options->out, "Stamped copy (default NAME.stamped.EXT beside it)");
  stamp->add_flag("--force", options->force, "Replace an existing --out");
  stamp->add_option("--db", options->config.db, "sqlite:PATH or postgresql://...")
      ->each([options](const std::string&) { options->db_given = true; });
  stamp->add_option("--signing-key", options->config.signing_key, "Audit log signing key file");
  stamp->add_option("--as", options->as, "Email of the partner registering the output");
  stamp->add_option("--server", options->server, "Register through this server (http://HOST:PORT)");
  stamp->add_option("--token", options->token, "API token for --server");
  stamp->add_option("--key", options->key_dir,
                    "Folder from 'clearcut keys init' (signer.pem, signer.key, root.pem)");
  stamp->add_option("--cert", options->cert, "Signer certificate chain (PEM)");
  stamp->add_option("--private-key", options->private_key, "Signer private key (PEM)");
  stamp->add_option("--trust", options->trust, "Trust anchors (PEM) to check the signature with");
  stamp->add_option("--watermark-key", options->watermark_key_file,
                    "Watermark key file (32 bytes or 64 hex digits)");
  stamp->add_option("--watermark-passphrase", options->watermark_passphrase_env,
                    "Name of an environment variable holding the watermark passphrase");
  stamp->add_option("--tool", options->tool, "The generating tool (the C2PA softwareAgent)");
  stamp->add_option("--tool-version", options->tool_version, "The tool's version");
  stamp->add_option("--source-type", options->source_type,
                    "trainedAlgorithmicMedia (default) or compositeWithTrainedAlgorithmicMedia");
  stamp->add_flag("--strip-gps", options->strip_gps,
                  "Leave the photo's location (EXIF GPS, XMP exif:GPS*) out of the copy");
  stamp->add_flag("--strip-exif", options->strip_exif,
                  "Leave all of the photo's EXIF (and its XMP copies) out of the copy");
  stamp->footer(
      "Photos (JPEG, PNG) are turned upright as their EXIF orientation says; the copy keeps\n"
      "their EXIF (orientation 1, no thumbnail), ICC profile and XMP, less what --strip-gps or\n"
      "--strip-exif leaves out (docs/stamping.md, Metadata).\n\n" +
      exit_codes_footer({{kExitOk, "stamped, read back and registered"}}));
  stamp->callback([options, exit_code] { *exit_code = run_stamp(*options); });
}

}  // namespace clearcut::cmd
