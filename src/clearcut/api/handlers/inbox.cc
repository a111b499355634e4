// The inbox: GET /me/tasks; PATCH /productions/{production} (the answer time); PUT
// /use-cases/{use_case}/assignee; GET, PUT and DELETE /me/delegation.

#include <algorithm>

#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;
using nlohmann::json;

json person_json(const std::optional<clearance::Person>& person) {
  return person ? json{{"id", person->id}, {"name", person->name}} : json(nullptr);
}

json task_json(const clearance::Task& t) {
  return {{"use_case_id", t.use_case.id},
          {"summary", t.use_case.summary},
          {"state", domain::use_case_state_name(t.use_case.state)},
          {"production",
           {{"id", t.production.id}, {"code", t.production.code}, {"title", t.production.title}}},
          {"waiting_on", clearance::waiting_on_name(t.waiting_on)},
          {"todo", t.todo},
          {"since", t.since},
          {"age_seconds", t.age_seconds},
          {"due_at", t.due_at.empty() ? json(nullptr) : json(t.due_at)},
          {"overdue", t.overdue},
          {"assignee", person_json(t.assignee)},
          {"on_behalf_of", person_json(t.on_behalf_of)}};
}

json delegation_json(const std::optional<clearance::DelegationView>& view) {
  if (!view) {
    return json(nullptr);
  }
  return {{"delegate", {{"id", view->delegation.delegate_id}, {"name", view->delegate_name}}},
          {"until", view->delegation.until},
          {"created_at", view->delegation.created_at},
          {"active", view->active}};
}

}  // namespace

void add_inbox_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add("GET", v1 + "/me/tasks", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               std::vector<clearance::Task> tasks = CC_TRY(deps.inbox.my_tasks(*c.actor));
               json items = json::array();
               for (const clearance::Task& t : tasks) {
                 items.push_back(task_json(t));
               }
               return ok({{"items", items}});
             });
  router.add("PATCH", v1 + "/productions/{production}", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"answer_within_days"}));
               int64_t days = CC_TRY(in.integer("answer_within_days"));
               // Out of an int's range is out of the service's (1 to 30): it says so.
               domain::Production p = CC_TRY(deps.inbox.set_answer_within_days(
                   *c.actor, CC_TRY(c.id("production")),
                   static_cast<int>(std::clamp<int64_t>(days, 0, 1000))));
               return ok(to_json(p));
             });
  router.add("PUT", v1 + "/use-cases/{use_case}/assignee", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"assignee_id"}));
               int64_t assignee = CC_TRY(in.integer("assignee_id"));
               domain::UseCase u =
                   CC_TRY(deps.inbox.assign(*c.actor, CC_TRY(c.id("use_case")), assignee));
               return ok(to_json(u, false));
             });
  router.add("GET", v1 + "/me/delegation", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto view = CC_TRY(deps.inbox.get_delegation(*c.actor));
               return ok({{"delegation", delegation_json(view)}});
             });
  router.add("PUT", v1 + "/me/delegation", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"delegate_email", "until"}));
               std::string email = CC_TRY(in.text("delegate_email"));
               std::string until = CC_TRY(in.text("until"));
               clearance::DelegationView view =
                   CC_TRY(deps.inbox.set_delegation(*c.actor, email, until));
               return ok({{"delegation", delegation_json(view)}});
             });
  router.add("DELETE", v1 + "/me/delegation", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               CC_TRY(deps.inbox.remove_delegation(*c.actor));
               return ok(json::object());
             });
}

}  // namespace clearcut::api
