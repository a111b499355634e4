// The audit log: the latest signed checkpoint, RFC 9162 proofs (so that anyone holding a
// checkpoint can check an entry or a later tree), and its events (admins).

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/base/hex.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

json hashes_json(const std::vector<audit::Hash>& proof) {
  json hashes = json::array();
  for (const auto& h : proof) {
    hashes.push_back(base::to_hex(h));
  }
  return hashes;
}

}  // namespace

void add_audit_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/audit/checkpoint", Access::kAuthenticated,
             [&deps](RequestContext&) -> base::Result<HttpResponse> {
               std::string note = CC_TRY(deps.audit.checkpoint());
               HttpResponse response;
               response.body = note;
               response.content_type = "text/plain; charset=utf-8";
               return response;
             });
  router.add("GET", v1 + "/audit/proof/inclusion", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto index = static_cast<uint64_t>(CC_TRY(c.query_int("index", -1, 0, INT64_MAX)));
               auto size = static_cast<uint64_t>(CC_TRY(c.query_int("size", -1, 1, INT64_MAX)));
               auto proof = CC_TRY(deps.audit.inclusion_proof(index, size));
               return ok({{"index", index}, {"tree_size", size}, {"proof", hashes_json(proof)}});
             });
  router.add(
      "GET", v1 + "/audit/proof/consistency", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        auto old_size = static_cast<uint64_t>(CC_TRY(c.query_int("old", -1, 1, INT64_MAX)));
        auto new_size = static_cast<uint64_t>(CC_TRY(c.query_int("new", -1, 1, INT64_MAX)));
        auto proof = CC_TRY(deps.audit.consistency_proof(old_size, new_size));
        return ok({{"old_size", old_size}, {"new_size", new_size}, {"proof", hashes_json(proof)}});
      });
  router.add("GET", v1 + "/audit/events", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               // Refused before the query is read: its errors are not for others to probe.
               CC_TRY(deps.audit.may_read_events(*c.actor));
               auto from = static_cast<uint64_t>(CC_TRY(c.query_int("from", 0, 0, INT64_MAX)));
               auto limit = static_cast<uint64_t>(CC_TRY(c.query_int("limit", 100, 1, 1000)));
               clearance::AuditService::EventPage page =
                   CC_TRY(deps.audit.list_events(*c.actor, from, limit));
               json items = json::array();
               for (const auto& r : page.records) {
                 items.push_back({{"sequence", r.event.sequence},
                                  {"time", r.event.time},
                                  {"actor", r.event.actor},
                                  {"action", r.event.action},
                                  {"subject_type", r.event.subject_type},
                                  {"subject_id", r.event.subject_id},
                                  {"payload", json::parse(r.event.payload_json, nullptr, false)},
                                  {"leaf_hash", r.leaf_hash}});
               }
               return ok({{"items", items}, {"size", page.size}});
             });
}

}  // namespace clearcut::api
