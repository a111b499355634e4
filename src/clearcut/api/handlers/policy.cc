// Policy packs: list, preview the re-triage a pack would cause, run test cases against it,
// activate it.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

json retriage_json(const std::vector<clearance::Retriage>& changes) {
  json out = json::array();
  for (const auto& c : changes) {
    out.push_back({{"use_case_id", c.use_case_id},
                   {"from", domain::use_case_outcome_text(c.from_outcome)},
                   {"to", domain::use_case_outcome_text(c.to_outcome)}});
  }
  return out;
}

// The test case files of POST /policy-packs/test: [{name, text}], name optional.
base::Result<std::vector<policy::CaseFile>> case_files_from(const JsonInput& in) {
  if (!in.has("cases") || !in.raw("cases").is_array()) {
    return base::invalid_argument("expected a list of {name, text} case files").with_field("cases");
  }
  std::vector<policy::CaseFile> cases;
  for (const json& item : in.raw("cases")) {
    if (!item.is_object() || !item.contains("text") || !item["text"].is_string() ||
        (item.contains("name") && !item["name"].is_string())) {
      return base::invalid_argument("expected {name, text} with text a string").with_field("cases");
    }
    cases.push_back({item.value("name", "cases.yaml"), item["text"].get<std::string>()});
  }
  return cases;
}

}  // namespace

void add_policy_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/policy-packs", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto items = CC_TRY(deps.clearance.list_policy_packs(*c.actor));
               return ok({{"items", list_json(items)}});
             });
  router.add("POST", v1 + "/policy-packs/preview", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text"}));
               std::string text = CC_TRY(in.text("text"));
               auto changes = CC_TRY(deps.clearance.preview_policy_pack(*c.actor, text));
               return ok({{"changes", retriage_json(changes)}});
             });
  router.add(
      "POST", v1 + "/policy-packs/test", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text", "cases"}));
        std::string text = CC_TRY(in.text("text"));
        std::vector<policy::CaseFile> cases = CC_TRY(case_files_from(in));
        policy::SuiteResult result = CC_TRY(deps.clearance.test_policy_pack(*c.actor, text, cases));
        json failures = json::array();
        for (const auto& f : result.failures) {
          failures.push_back(
              {{"file", f.file}, {"line", f.line}, {"name", f.name}, {"message", f.message}});
        }
        return ok({{"passed", result.passed}, {"failed", result.failed}, {"failures", failures}});
      });
  router.add("POST", v1 + "/policy-packs", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text"}));
               std::string text = CC_TRY(in.text("text"));
               auto changes = CC_TRY(deps.clearance.activate_policy_pack(*c.actor, text));
               return ok({{"changes", retriage_json(changes)}}, 201);
             });
}

}  // namespace clearcut::api
