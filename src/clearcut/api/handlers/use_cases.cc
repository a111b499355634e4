// POST /assess (stateless triage); use cases: list and create under a production, read,
// replace the declaration, move through the workflow, comment.

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"
#include "clearcut/domain/declaration_reader.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

// A declaration may come as a JSON object or as text (YAML or JSON, e.g. an uploaded file).
base::Result<std::string> declaration_text(const JsonInput& in, const std::string& key) {
  if (!in.has(key)) {
    return base::invalid_argument("required").with_field(key);
  }
  const json& value = in.raw(key);
  if (value.is_object()) {
    return value.dump();
  }
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return base::invalid_argument("expected a clearcut/v1 declaration (an object or its text)")
      .with_field(key);
}

// The declaration under `key`: an object read as it stands (not written out and parsed again),
// or its YAML or JSON text.
base::Result<domain::Declaration> read_declaration(const JsonInput& in, const std::string& key) {
  if (in.has(key) && in.raw(key).is_object()) {
    return domain::parse_declaration_json(in.raw(key), key);
  }
  std::string text = CC_TRY(declaration_text(in, key));
  return domain::parse_declaration(text, key);
}

// The decision's JSON object with the form's view added as `form`.
std::string with_form(const clearance::Assessment& assessment) {
  std::string body = assessment.decision_json;
  body.pop_back();  // the closing brace of the decision object
  return body + ",\"form\":" + assessment.form_json + "}";
}

}  // namespace

void add_use_case_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("POST", v1 + "/assess", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"declaration", "form"}));
               bool form = CC_TRY(in.boolean("form", false));
               domain::Declaration declaration = CC_TRY(read_declaration(in, "declaration"));
               // The declaration form asks for what it shows: moot and open questions, implied
               // answers and levers beside the decision (policy/form.h).
               if (form) {
                 clearance::Assessment assessment =
                     CC_TRY(deps.clearance.assess_form(std::move(declaration)));
                 return HttpResponse::json(200, with_form(assessment));
               }
               clearance::Assessment assessment =
                   CC_TRY(deps.clearance.assess(std::move(declaration)));
               return HttpResponse::json(200, assessment.decision_json);
             });
  router.add("GET", v1 + "/productions/{production}/use-cases", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               store::UseCaseFilter filter;
               filter.production_ids = {CC_TRY(c.id("production"))};
               if (std::optional<std::string> state = c.request.query_param("state")) {
                 filter.state = domain::parse_use_case_state(*state);
                 if (!filter.state) {
                   return base::invalid_argument("unknown state").with_field("state");
                 }
               }
               filter.after_id = CC_TRY(c.query_int("after", 0, 0, INT64_MAX));
               filter.limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 200)));
               auto items = CC_TRY(deps.clearance.list_use_cases(*c.actor, filter));
               json out = json::array();
               for (const auto& u : items) {
                 out.push_back(to_json(u, false));
               }
               json next = items.size() == static_cast<size_t>(filter.limit) ? json(items.back().id)
                                                                             : json(nullptr);
               return ok({{"items", out}, {"next_after", next}});
             });
  router.add("POST", v1 + "/productions/{production}/use-cases", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"declaration", "submit"}));
               std::string text = CC_TRY(declaration_text(in, "declaration"));
               bool submit = CC_TRY(in.boolean("submit", false));
               domain::UseCase u = CC_TRY(deps.clearance.create_use_case(
                   *c.actor, CC_TRY(c.id("production")), text, submit));
               return ok(to_json(u, true), 201);
             });
  router.add("GET", v1 + "/use-cases/{use_case}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               clearance::UseCaseDetail d =
                   CC_TRY(deps.clearance.get_use_case(*c.actor, CC_TRY(c.id("use_case"))));
               json out = to_json(d.use_case, true);
               auto name_of = [&d](int64_t id) {
                 auto it = d.names.find(id);
                 return it == d.names.end() ? json(nullptr) : json(it->second);
               };
               out["events"] = list_json(d.events);
               for (size_t i = 0; i < d.events.size(); ++i) {
                 out["events"][i]["actor_name"] = name_of(d.events[i].actor_id);
               }
               out["comments"] = list_json(d.comments);
               for (size_t i = 0; i < d.comments.size(); ++i) {
                 out["comments"][i]["author_name"] = name_of(d.comments[i].author_id);
               }
               out["approvals"] = list_json(d.approvals);
               for (size_t i = 0; i < d.approvals.size(); ++i) {
                 out["approvals"][i]["approver_name"] = name_of(d.approvals[i].approver_id);
               }
               out["created_by_name"] = name_of(d.use_case.created_by);
               out["assignee"] = d.use_case.assignee_id == 0
                                     ? json(nullptr)
                                     : json{{"id", d.use_case.assignee_id},
                                            {"name", name_of(d.use_case.assignee_id)}};
               out["allowed_actions"] = d.allowed_actions;
               std::vector<clearance::Person> assignable =
                   CC_TRY(deps.inbox.assignable(*c.actor, d.use_case));
               json people = json::array();
               for (const clearance::Person& p : assignable) {
                 people.push_back({{"id", p.id}, {"name", p.name}});
               }
               out["assignable"] = people;
               return ok(out);
             });
  router.add("PUT", v1 + "/use-cases/{use_case}/declaration", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"declaration", "revision"}));
               std::string text = CC_TRY(declaration_text(in, "declaration"));
               int64_t revision = CC_TRY(in.integer("revision"));
               return ok(to_json(CC_TRY(deps.clearance.update_declaration(
                                     *c.actor, CC_TRY(c.id("use_case")), revision, text)),
                                 true));
             });
  router.add("POST", v1 + "/use-cases/{use_case}/declaration/preview", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"declaration", "revision"}));
               std::string text = CC_TRY(declaration_text(in, "declaration"));
               int64_t revision = CC_TRY(in.integer("revision"));
               clearance::EditPreview preview = CC_TRY(deps.clearance.preview_declaration_update(
                   *c.actor, CC_TRY(c.id("use_case")), revision, text));
               return ok(to_json(preview));
             });
  router.add("POST", v1 + "/use-cases/{use_case}/transitions", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"action", "revision", "note"}));
               std::string name = CC_TRY(in.text("action"));
               std::optional<clearance::UseCaseAction> action =
                   clearance::parse_use_case_action(name);
               if (!action) {
                 return base::invalid_argument(
                            "expected submit, withdraw, acknowledge, request_changes, escalate "
                            "or reject (approvals have their own endpoint)")
                     .with_field("action");
               }
               int64_t revision = CC_TRY(in.integer("revision"));
               std::string note = CC_TRY(in.text("note", false));
               return ok(to_json(CC_TRY(deps.clearance.transition(
                                     *c.actor, CC_TRY(c.id("use_case")), revision, *action, note)),
                                 true));
             });
  router.add(
      "POST", v1 + "/use-cases/{use_case}/comments", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"body"}));
        std::string body = CC_TRY(in.text("body"));
        return ok(
            to_json(CC_TRY(deps.clearance.add_comment(*c.actor, CC_TRY(c.id("use_case")), body))),
            201);
      });
}

}  // namespace clearcut::api
