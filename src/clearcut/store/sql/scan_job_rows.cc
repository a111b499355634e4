#include "clearcut/store/sql/scan_job_rows.h"

#include <string>

#include <nlohmann/json.hpp>

#include "clearcut/base/utf8.h"
#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;
using domain::CrossProductionMatch;
using domain::ScanJob;
using domain::ScanJobState;

// The paths a job scans, as a JSON array of strings.
SqlValue write_paths(const ScanJob& job) {
  return nlohmann::json(job.paths).dump();
}

bool read_paths(SqlRowReader& reader, ScanJob& job) {
  nlohmann::json paths = nlohmann::json::parse(reader.text(), nullptr, false);
  if (!paths.is_array()) {
    return false;
  }
  for (const auto& path : paths) {
    if (!path.is_string()) {
      return false;
    }
    job.paths.push_back(path.get<std::string>());
  }
  return true;
}

// The big reports are read on their own (get_report), never with the job.
constexpr auto kScanJobs = table<ScanJob>(
    "scan_jobs", key<&ScanJob::id>("id"), field<&ScanJob::production_id>("production_id"),
    Column<ScanJob>{"paths_json", read_paths, write_paths}, field<&ScanJob::stride>("stride"),
    field<&ScanJob::radius>("radius"),
    enum_field<&ScanJob::state, domain::scan_job_state_name, domain::parse_scan_job_state>("state"),
    field<&ScanJob::submitted_by>("submitted_by"), field<&ScanJob::submitted_at>("submitted_at"),
    field<&ScanJob::worker>("worker"), field<&ScanJob::attempts>("attempts"),
    field<&ScanJob::started_at>("started_at"), field<&ScanJob::heartbeat_at>("heartbeat_at"),
    field<&ScanJob::finished_at>("finished_at"), field<&ScanJob::files_done>("files_done"),
    field<&ScanJob::files_total>("files_total"), field<&ScanJob::passes>("passes"),
    field<&ScanJob::summary_json>("summary_json"), field<&ScanJob::error>("error"));

constexpr auto kMatches = table<CrossProductionMatch>(
    "scan_cross_production_matches", key<&CrossProductionMatch::id>("id"),
    field<&CrossProductionMatch::scan_job_id>("scan_job_id"),
    field<&CrossProductionMatch::scanning_production_id>("scanning_production_id"),
    field<&CrossProductionMatch::production_id>("production_id"),
    field<&CrossProductionMatch::asset_id>("asset_id"),
    field<&CrossProductionMatch::found_at>("found_at"),
    field<&CrossProductionMatch::finding_json>("finding_json"));

}  // namespace

Result<int64_t> SqlScanJobRecords::create(const ScanJob& job) {
  CC_TRY(domain::check_time(job.submitted_at, "submitted_at"));
  if (job.paths.empty()) {
    return base::invalid_argument("a scan needs at least one path").with_field("paths");
  }
  for (const std::string& path : job.paths) {
    if (path.empty() || path.find('\0') != std::string::npos ||
        base::find_invalid_utf8(path).has_value()) {
      return base::invalid_argument("each path is non-empty UTF-8 text without NUL")
          .with_field("paths");
    }
  }
  if (job.stride < 1 || job.radius < 0) {
    return base::invalid_argument("stride must be at least 1 and radius at least 0");
  }
  // Only what was asked is taken from `job`: a new job is queued and has run nowhere yet.
  ScanJob queued;
  queued.production_id = job.production_id;
  queued.paths = job.paths;
  queued.stride = job.stride;
  queued.radius = job.radius;
  queued.submitted_by = job.submitted_by;
  queued.submitted_at = job.submitted_at;
  return single_integer(
      CC_TRY(statements_.run("create scan job", kScanJobs.insert(), kScanJobs.values(queued),
                             {{}, "production or user not found"})));
}

Result<ScanJob> SqlScanJobRecords::get(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get scan job", kScanJobs.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("scan job", id);
  }
  return kScanJobs.read(rows[0]);
}

Result<std::vector<ScanJob>> SqlScanJobRecords::list(int64_t production_id, int64_t before_id,
                                                     int limit) {
  CC_TRY(check_limit(limit));
  return kScanJobs.read_all(CC_TRY(statements_.run(
      "list scan jobs",
      kScanJobs.select("WHERE production_id = ? AND id < ? ORDER BY id DESC LIMIT ?"),
      {production_id, page_below(before_id), int64_t{limit}})));
}

Result<std::optional<ScanJob>> SqlScanJobRecords::claim(const std::string& worker,
                                                        const std::string& now,
                                                        const std::string& stale_before) {
  constexpr std::string_view kAction = "claim scan job";
  CC_TRY(domain::check_not_empty(worker, "worker"));
  CC_TRY(domain::check_time(now, "now"));
  CC_TRY(domain::check_time(stale_before, "stale_before"));
  // Jobs whose workers kept dying are given up rather than handed out forever.
  CC_TRY(statements_.run(
      kAction,
      "UPDATE scan_jobs SET state = 'error', finished_at = ?, error = ? "
      "WHERE state = 'running' AND heartbeat_at < ? AND attempts >= ?",
      {now,
       "abandoned: " + std::to_string(kMaxScanAttempts) + " workers stopped before finishing it",
       stale_before, int64_t{kMaxScanAttempts}}));
  std::string sql =
      "UPDATE scan_jobs SET state = 'running', worker = ?, attempts = attempts + 1, "
      "started_at = ?, heartbeat_at = ?, files_done = 0 WHERE id = (SELECT id FROM scan_jobs "
      "WHERE state = 'queued' OR (state = 'running' AND heartbeat_at < ?) ORDER BY id LIMIT 1" +
      std::string(statements_.dialect().skip_locked) + ") RETURNING " + kScanJobs.columns();
  return kScanJobs.read_first(
      CC_TRY(statements_.run(kAction, sql, {worker, now, now, stale_before})));
}

Status SqlScanJobRecords::heartbeat(int64_t id, const std::string& worker, const std::string& now,
                                    int files_done, int files_total) {
  constexpr std::string_view kAction = "scan job heartbeat";
  CC_TRY(domain::check_time(now, "now"));
  SqlRows rows = CC_TRY(
      statements_.run(kAction,
                      "UPDATE scan_jobs SET heartbeat_at = ?, files_done = ?, files_total = ? "
                      "WHERE id = ? AND worker = ? AND state = 'running' RETURNING id",
                      {now, int64_t{files_done}, int64_t{files_total}, id, worker}));
  return statements_.changed(kAction, rows, "scan_jobs", "scan job", id,
                             "scan job " + std::to_string(id) + " is not running under " + worker);
}

Status SqlScanJobRecords::release(int64_t id, const std::string& worker) {
  constexpr std::string_view kAction = "release scan job";
  SqlRows rows = CC_TRY(statements_.run(
      kAction,
      "UPDATE scan_jobs SET state = 'queued', worker = '', started_at = '', heartbeat_at = '', "
      "files_done = 0, attempts = attempts - 1 WHERE id = ? AND worker = ? AND state = 'running' "
      "RETURNING id",
      {id, worker}));
  return statements_.changed(kAction, rows, "scan_jobs", "scan job", id,
                             "scan job " + std::to_string(id) + " is not running under " + worker);
}

Status SqlScanJobRecords::finish(const domain::ScanJobResult& result) {
  constexpr std::string_view kAction = "finish scan job";
  CC_TRY(domain::check_time(result.finished_at, "finished_at"));
  if (result.state != ScanJobState::kFinished && result.state != ScanJobState::kError) {
    return base::invalid_argument("a scan job ends finished or in error").with_field("state");
  }
  SqlRows rows = CC_TRY(statements_.run(
      kAction,
      "UPDATE scan_jobs SET state = ?, passes = ?, summary_json = ?, report_json = ?, "
      "report_html = ?, error = ?, finished_at = ?, heartbeat_at = ?, files_done = ?, "
      "files_total = ? WHERE id = ? AND worker = ? AND state = 'running' RETURNING id",
      {std::string(domain::scan_job_state_name(result.state)), result.passes, result.summary_json,
       result.report_json, result.report_html, result.error, result.finished_at, result.finished_at,
       int64_t{result.files}, int64_t{result.files}, result.id, result.worker}));
  CC_TRY(statements_.changed(
      kAction, rows, "scan_jobs", "scan job", result.id,
      "scan job " + std::to_string(result.id) + " is not running under " + result.worker));
  for (const CrossProductionMatch& match : result.cross_production) {
    CC_TRY(statements_.run(
        "store cross-production match",
        "INSERT INTO scan_cross_production_matches (scan_job_id, scanning_production_id, "
        "production_id, asset_id, found_at, finding_json) SELECT id, production_id, ?, ?, "
        "?, ? FROM scan_jobs WHERE id = ?",
        {match.production_id, match.asset_id, result.finished_at, match.finding_json, result.id},
        {{}, "asset or production not found"}));
  }
  return {};
}

Result<std::string> SqlScanJobRecords::get_report(int64_t id, std::string_view format) {
  std::string column;
  if (format == "json") {
    column = "report_json";
  } else if (format == "html") {
    column = "report_html";
  } else {
    return base::invalid_argument("a report is json or html").with_field("format");
  }
  SqlRows rows = CC_TRY(statements_.run(
      "get scan report", "SELECT state, " + column + " FROM scan_jobs WHERE id = ?", {id}));
  if (rows.empty()) {
    return missing("scan job", id);
  }
  SqlRowReader r(rows[0]);
  std::string state = r.text();
  std::string report = r.text();
  CC_TRY(r.status());
  if (state != "finished") {
    return base::not_found("scan job " + std::to_string(id) + " has no report (it is " + state +
                           ")");
  }
  return report;
}

Result<std::vector<CrossProductionMatch>> SqlScanJobRecords::list_cross_production_matches(
    int64_t production_id, int64_t before_id, int limit) {
  CC_TRY(check_limit(limit));
  return kMatches.read_all(CC_TRY(statements_.run(
      "list cross-production matches",
      kMatches.select("WHERE production_id = ? AND id < ? ORDER BY id DESC LIMIT ?"),
      {production_id, page_below(before_id), int64_t{limit}})));
}

}  // namespace clearcut::store::sql
