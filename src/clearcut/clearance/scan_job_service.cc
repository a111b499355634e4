#include "clearcut/clearance/scan_job_service.h"

#include <algorithm>
#include <system_error>

#include <nlohmann/json.hpp>

#include "clearcut/clearance/audit_log.h"

namespace clearcut::clearance {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxPaths = 1000;

base::Error hidden_job(int64_t id) {
  return base::not_found("no scan " + std::to_string(id));
}

bool inside(const fs::path& path, const fs::path& root) {
  auto [root_end, _] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

}  // namespace

base::Result<fs::path> resolve_scan_path(const fs::path& root, const std::string& relative) {
  if (relative.empty() || relative.find('\0') != std::string::npos) {
    return base::invalid_argument("expected a path relative to the scan root");
  }
  fs::path path(relative);
  if (path.is_absolute() || path.has_root_name() || path.has_root_directory()) {
    return base::invalid_argument("expected a path relative to the scan root, not " + relative);
  }
  for (const fs::path& part : path) {
    if (part == "..") {
      return base::invalid_argument("a scan path must not leave the scan root: " + relative);
    }
  }
  std::error_code error;
  fs::path canonical_root = fs::weakly_canonical(root, error);
  if (error) {
    return base::invalid_argument("the scan root cannot be resolved");
  }
  fs::path resolved = fs::weakly_canonical(canonical_root / path, error);
  if (error || !inside(resolved, canonical_root)) {
    return base::invalid_argument("a scan path must not leave the scan root: " + relative);
  }
  return resolved;
}

base::Result<domain::ScanJob> ScanJobService::submit(const Actor& actor, int64_t production_id,
                                                     const ScanRequest& request) {
  if (!actor.admin() && !actor.member_of(production_id)) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  if (scan_root_.empty()) {
    return base::Error(base::ErrorCode::kFailedPrecondition,
                       "this server has no scan root: start clearcut serve with --scan-root DIR "
                       "to scan deliveries through the API");
  }
  if (request.paths.empty() || request.paths.size() > kMaxPaths) {
    return base::invalid_argument("expected 1 to " + std::to_string(kMaxPaths) + " paths")
        .with_field("paths");
  }
  if (request.stride < 1 || request.stride > 1000) {
    return base::invalid_argument("expected 1 to 1000").with_field("stride");
  }
  if (request.radius < 0 || request.radius > 128) {
    return base::invalid_argument("expected 0 to 128").with_field("radius");
  }
  for (size_t i = 0; i < request.paths.size(); ++i) {
    std::string field = "paths[" + std::to_string(i) + "]";
    auto resolved = resolve_scan_path(scan_root_, request.paths[i]);
    if (!resolved.has_value()) {
      return std::move(resolved).error().with_field(field);
    }
    std::error_code error;
    if (!fs::exists(*resolved, error)) {
      return base::invalid_argument("no such file or folder under the scan root: " +
                                    request.paths[i])
          .with_field(field);
    }
  }
  domain::ScanJob job;
  job.production_id = production_id;
  job.paths = request.paths;
  job.stride = request.stride;
  job.radius = request.radius;
  job.submitted_by = actor.user.id;
  job.submitted_at = format_rfc3339(clock_.now());
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().get_production(production_id));
  job.id = CC_TRY(tx->scan_jobs().create(job));
  nlohmann::json payload = {{"production_id", production_id},
                            {"paths", job.paths},
                            {"stride", job.stride},
                            {"radius", job.radius}};
  audit::AuditEvent event{0,          job.submitted_at,       actor.audit_name(), "scan.submitted",
                          "scan_job", std::to_string(job.id), payload.dump()};
  CC_TRY(append_audit_event(*tx, std::move(event)));
  CC_TRY(tx->commit());
  return job;
}

base::Result<domain::ScanJob> ScanJobService::get(const Actor& actor, int64_t id) {
  auto tx = CC_TRY(store_.begin());
  auto job = tx->scan_jobs().get(id);
  if (!job.has_value()) {
    return job.error().code() == base::ErrorCode::kNotFound ? hidden_job(id)
                                                            : std::move(job).error();
  }
  if (!actor.admin() && !actor.member_of(job->production_id)) {
    return hidden_job(id);
  }
  return job;
}

base::Result<std::vector<domain::ScanJob>> ScanJobService::list(const Actor& actor,
                                                                int64_t production_id,
                                                                int64_t before_id, int limit) {
  if (!actor.admin() && !actor.member_of(production_id)) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  auto tx = CC_TRY(store_.begin());
  return tx->scan_jobs().list(production_id, before_id, limit);
}

base::Result<std::string> ScanJobService::report(const Actor& actor, int64_t id,
                                                 std::string_view format) {
  CC_TRY(get(actor, id));
  auto tx = CC_TRY(store_.begin());
  return tx->scan_jobs().get_report(id, format);
}

base::Result<std::vector<domain::CrossProductionMatch>> ScanJobService::cross_production_matches(
    const Actor& actor, int64_t production_id, int64_t before_id, int limit) {
  if (!actor.admin() && !actor.member_of(production_id)) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  if (!actor.admin() && !actor.has_role(production_id, domain::Role::kLegal)) {
    return base::Error(base::ErrorCode::kPermissionDenied,
                       "only legal on the production reads matches found by other productions");
  }
  auto tx = CC_TRY(store_.begin());
  return tx->scan_jobs().list_cross_production_matches(production_id, before_id, limit);
}

}  // namespace clearcut::clearance
