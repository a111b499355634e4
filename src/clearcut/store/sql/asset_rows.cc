#include "clearcut/store/sql/asset_rows.h"

#include <algorithm>
#include <string>

#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/table.h"
#include "clearcut/store/store.h"

namespace clearcut::store::sql {
namespace {

using base::Result;
using base::Status;
using domain::Asset;

// Videos' frame hashes, space-separated (create() refuses a hash with a space).
SqlValue write_frame_pdq(const Asset& asset) {
  std::string out;
  for (const std::string& code : asset.frame_pdq) {
    out += (out.empty() ? "" : " ") + code;
  }
  return out;
}

bool read_frame_pdq(SqlRowReader& reader, Asset& asset) {
  std::string text = reader.text();
  for (size_t start = 0; start < text.size();) {
    size_t end = std::min(text.find(' ', start), text.size());
    asset.frame_pdq.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return true;
}

constexpr auto kAssets = table<Asset>(
    "assets", key<&Asset::id>("id"), field<&Asset::production_id>("production_id"),
    field<&Asset::use_case_id>("use_case_id"), field<&Asset::file_name>("file_name"),
    field<&Asset::media_type>("media_type"), field<&Asset::sha256>("sha256"),
    field<&Asset::pdq>("pdq"), field<&Asset::pdq_quality>("pdq_quality"),
    field<&Asset::width>("width"), field<&Asset::height>("height"),
    field<&Asset::duration_ms>("duration_ms"), field<&Asset::manifest_id>("manifest_id"),
    field<&Asset::watermark_payload>("watermark_payload"),
    enum_field<&Asset::status, domain::asset_status_name, domain::parse_asset_status>("status"),
    field<&Asset::created_by>("created_by"), field<&Asset::created_at>("created_at"),
    field<&Asset::thumbnail>("thumbnail"),
    Column<Asset>{"frame_pdq", read_frame_pdq, write_frame_pdq},
    field<&Asset::audio_fingerprint>("audio_fingerprint"));

}  // namespace

Result<int64_t> SqlAssetRecords::create(const Asset& asset) {
  CC_TRY(domain::check_time(asset.created_at, "created_at"));
  for (const std::string& code : asset.frame_pdq) {
    if (code.empty() || code.find(' ') != std::string::npos) {
      return base::invalid_argument("frame hashes are non-empty and without spaces")
          .with_field("frame_pdq");
    }
  }
  return single_integer(
      CC_TRY(statements_.run("create asset", kAssets.insert(), kAssets.values(asset),
                             {{}, "production, use case of that production, or user not found"})));
}

Result<Asset> SqlAssetRecords::get(int64_t id) {
  SqlRows rows = CC_TRY(statements_.run("get asset", kAssets.select("WHERE id = ?"), {id}));
  if (rows.empty()) {
    return missing("asset", id);
  }
  return kAssets.read(rows[0]);
}

Result<std::vector<Asset>> SqlAssetRecords::list(int64_t production_id, int64_t after_id,
                                                 int limit) {
  CC_TRY(check_limit(limit));
  return kAssets.read_all(CC_TRY(statements_.run(
      "list assets", kAssets.select("WHERE production_id = ? AND id > ? ORDER BY id LIMIT ?"),
      {production_id, after_id, int64_t{limit}})));
}

Result<std::vector<Asset>> SqlAssetRecords::list_of_use_case(int64_t use_case_id) {
  return kAssets.read_all(CC_TRY(statements_.run(
      "list assets", kAssets.select("WHERE use_case_id = ? ORDER BY id"), {use_case_id})));
}

Result<std::vector<Asset>> SqlAssetRecords::list_registered(int64_t after_id, int limit) {
  CC_TRY(check_limit(limit));
  return kAssets.read_all(CC_TRY(statements_.run(
      "list registered assets", kAssets.select("WHERE id > ? ORDER BY id LIMIT ?", "thumbnail"),
      {after_id, int64_t{limit}})));
}

Result<std::vector<AssetStatusOf>> SqlAssetRecords::list_statuses(int64_t after_id, int limit) {
  CC_TRY(check_limit(limit));
  SqlRows rows = CC_TRY(statements_.run(
      "list asset statuses", "SELECT id, status FROM assets WHERE id > ? ORDER BY id LIMIT ?",
      {after_id, int64_t{limit}}));
  std::vector<AssetStatusOf> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    SqlRowReader r(row);
    AssetStatusOf of;
    of.id = r.int64();
    std::optional<domain::AssetStatus> status = domain::parse_asset_status(r.text());
    CC_TRY(r.status());
    if (!status) {
      return data_loss("stored assets row " + std::to_string(of.id) +
                       " has an unexpected value in status");
    }
    of.status = *status;
    out.push_back(of);
  }
  return out;
}

Result<std::vector<std::pair<int64_t, std::string>>> SqlAssetRecords::thumbnails(
    const std::vector<int64_t>& ids) {
  std::vector<std::pair<int64_t, std::string>> out;
  if (ids.empty()) {
    return out;
  }
  if (ids.size() > static_cast<size_t>(kMaxListLimit)) {
    return base::invalid_argument("at most " + std::to_string(kMaxListLimit) +
                                  " thumbnails at once")
        .with_field("ids");
  }
  std::vector<SqlValue> params;
  SqlRows rows = CC_TRY(statements_.run("read asset thumbnails",
                                        "SELECT id, thumbnail FROM assets WHERE thumbnail <> ''" +
                                            in_list("id", ids, params) + " ORDER BY id",
                                        params));
  for (const SqlRow& row : rows) {
    SqlRowReader r(row);
    const int64_t id = r.int64();
    std::string thumbnail = r.text();
    CC_TRY(r.status());
    out.emplace_back(id, std::move(thumbnail));
  }
  return out;
}

Result<std::vector<AssetStatusCount>> SqlAssetRecords::count_by_status(
    const std::vector<int64_t>& production_ids) {
  std::vector<SqlValue> params;
  SqlRows rows =
      CC_TRY(statements_.run("count assets",
                             "SELECT production_id, status, COUNT(*) FROM assets WHERE 1 = 1" +
                                 in_list("production_id", production_ids, params) +
                                 " GROUP BY production_id, status ORDER BY production_id, status",
                             params));
  std::vector<AssetStatusCount> out;
  for (const SqlRow& row : rows) {
    SqlRowReader r(row);
    AssetStatusCount count;
    count.production_id = r.int64();
    std::optional<domain::AssetStatus> status = domain::parse_asset_status(r.text());
    count.count = r.int64();
    CC_TRY(r.status());
    if (!status) {
      return data_loss("stored assets has an unexpected value in status");
    }
    count.status = *status;
    out.push_back(count);
  }
  return out;
}

Status SqlAssetRecords::set_status(int64_t id, domain::AssetStatus status) {
  constexpr std::string_view kAction = "set asset status";
  SqlRows rows =
      CC_TRY(statements_.run(kAction, "UPDATE assets SET status = ? WHERE id = ? RETURNING id",
                             {std::string(domain::asset_status_name(status)), id}));
  return statements_.changed(kAction, rows, "assets", "asset", id);
}

}  // namespace clearcut::store::sql
