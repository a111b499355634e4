// POST /use-cases/{use_case}/approvals: a written approval, signed with the approver's typed
// name and a reason, with its conditions, scope and expiry; refused while the checklist that
// gates it has open items. /use-cases/{use_case}/checklist: that checklist, the evidence that
// meets its items, legal's waivers and the disclosure's confirmation. GET
// /approvals/{approval}/certificate: a granted approval's certificate, which `clearcut audit
// verify-certificate` checks offline;
// .../certificate.pdf: the same for people, a PDF that carries it.

#include "clearcut/api/error_mapping.h"
#include "clearcut/api/handlers/handlers.h"
#include "clearcut/api/json_input.h"
#include "clearcut/clearance/approval_certificate_pdf.h"

namespace clearcut::api {
namespace {

using http::HttpResponse;

// The 409 of an approval refused for open checklist items, with the items listed.
base::Result<HttpResponse> refused_for_checklist(const ApiDeps& deps, RequestContext& c,
                                                 const base::Error& error) {
  nlohmann::json body = nlohmann::json::parse(error_response(error).body, nullptr, false);
  auto items = deps.clearance.get_checklist(*c.actor, CC_TRY(c.id("use_case")));
  if (body.is_discarded() || !items.has_value()) {
    return error;
  }
  nlohmann::json open = nlohmann::json::array();
  for (const domain::ChecklistItem& item : *items) {
    if (item.state == domain::ChecklistItemState::kOpen) {
      open.push_back(to_json(item));
    }
  }
  body["open_items"] = std::move(open);
  return ok(body, 409);
}

}  // namespace

void add_approval_routes(Router& router, const ApiDeps& deps) {
  const std::string v1(kApiPrefix);
  router.add(
      "POST", v1 + "/use-cases/{use_case}/approvals", Access::kAuthenticated,
      [&deps](RequestContext& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(
            c.request, {"revision", "conditions", "scope", "expires_at", "signer_name", "reason"}));
        clearance::ApprovalRequest request;
        int64_t revision = CC_TRY(in.integer("revision"));
        request.conditions = CC_TRY(in.text("conditions", false));
        request.expires_at = CC_TRY(in.text("expires_at", false));
        request.signer_name = CC_TRY(in.text("signer_name", false));
        request.reason = CC_TRY(in.text("reason", false));
        if (in.has("scope")) {
          request.scope_json = in.raw("scope").dump();
        }
        auto approval =
            deps.clearance.approve(*c.actor, CC_TRY(c.id("use_case")), revision, request);
        if (!approval.has_value()) {
          if (approval.error().field() == "checklist") {
            return refused_for_checklist(deps, c, approval.error());
          }
          return approval.error();
        }
        return ok(to_json(*approval), 201);
      });
  router.add("GET", v1 + "/approvals/{approval}/certificate", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               int64_t id = CC_TRY(c.id("approval"));
               std::string certificate = CC_TRY(deps.clearance.approval_certificate(*c.actor, id));
               HttpResponse response = HttpResponse::json(200, std::move(certificate));
               response.set_header(
                   "Content-Disposition",
                   "attachment; filename=\"approval-" + std::to_string(id) + "-certificate.json\"");
               return response;
             });
  router.add("GET", v1 + "/approvals/{approval}/certificate.pdf", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               int64_t id = CC_TRY(c.id("approval"));
               std::string text = CC_TRY(deps.clearance.approval_certificate(*c.actor, id));
               clearance::ApprovalCertificate certificate =
                   CC_TRY(clearance::read_approval_certificate(text));
               HttpResponse response;
               response.body = CC_TRY(clearance::write_approval_certificate_pdf(certificate));
               response.content_type = "application/pdf";
               response.set_header(
                   "Content-Disposition",
                   "attachment; filename=\"approval-" + std::to_string(id) + "-certificate.pdf\"");
               return response;
             });
  router.add("GET", v1 + "/use-cases/{use_case}/checklist", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               auto items =
                   CC_TRY(deps.clearance.get_checklist(*c.actor, CC_TRY(c.id("use_case"))));
               return ok({{"items", list_json(items)}});
             });
  router.add("POST", v1 + "/use-cases/{use_case}/checklist/{item}/evidence", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text", "document_sha256"}));
               clearance::ChecklistEvidence evidence;
               evidence.text = CC_TRY(in.text("text", false));
               evidence.document_sha256 = CC_TRY(in.text("document_sha256", false));
               domain::ChecklistItem item = CC_TRY(deps.clearance.record_evidence(
                   *c.actor, CC_TRY(c.id("use_case")), CC_TRY(c.id("item")), evidence));
               return ok(to_json(item));
             });
  router.add("POST", v1 + "/use-cases/{use_case}/checklist/{item}/waive", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"reason"}));
               std::string reason = CC_TRY(in.text("reason", false));
               domain::ChecklistItem item = CC_TRY(deps.clearance.waive_checklist_item(
                   *c.actor, CC_TRY(c.id("use_case")), CC_TRY(c.id("item")), reason));
               return ok(to_json(item));
             });
  router.add("POST", v1 + "/use-cases/{use_case}/checklist/{item}/confirm", Access::kAuthenticated,
             [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text"}));
               std::string text = CC_TRY(in.text("text", false));
               domain::ChecklistItem item = CC_TRY(deps.clearance.confirm_disclosure(
                   *c.actor, CC_TRY(c.id("use_case")), CC_TRY(c.id("item")), text));
               return ok(to_json(item));
             });
}

}  // namespace clearcut::api
