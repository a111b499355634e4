// Evidence attachments (issue #14): POST .../{parent}/attachments?filename=NAME with the file's
// raw bytes as the body (any Content-Type; the server sniffs the type from the bytes),
// GET .../{parent}/attachments lists them, GET /attachments/{attachment}/content downloads one,
// always as a download (Content-Disposition: attachment, nosniff, a CSP that runs nothing).
// Parents: use cases, consents, approvals, tool registry entries.

#include "clearcut/api/handlers/handlers.h"

namespace clearcut::api {
namespace {

using domain::AttachmentParent;
using http::HttpResponse;

// A filename for the Content-Disposition header (RFC 6266 §4.3): an ASCII fallback with
// anything outside printable ASCII, quotes and backslashes replaced by '_', and the exact name
// as UTF-8 in filename* (RFC 8187).
std::string content_disposition(const std::string& name) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    ascii.push_back(u >= 0x20 && u < 0x7f && c != '"' && c != '\\' ? c : '_');
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_';
    if (plain) {
      encoded.push_back(c);
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

void add_parent_routes(Router& router, const ApiDeps& deps, const std::string& collection,
                       const std::string& parameter, AttachmentParent parent) {
  const std::string path =
      std::string(kApiPrefix) + "/" + collection + "/{" + parameter + "}/attachments";
  router.add("GET", path, Access::kAuthenticated,
             [&deps, parameter, parent](RequestContext& c) -> base::Result<HttpResponse> {
               auto items = CC_TRY(deps.attachments.list(*c.actor, parent, c.params.at(parameter)));
               return ok({{"items", list_json(items)}});
             });
  router.add(
      "POST", path, Access::kAuthenticated,
      [&deps, parameter, parent](RequestContext& c) -> base::Result<HttpResponse> {
        std::optional<std::string> name = c.request.query_param("filename");
        if (!name) {
          return base::invalid_argument("name the file: ?filename=NAME").with_field("filename");
        }
        domain::Attachment attachment = CC_TRY(
            deps.attachments.add(*c.actor, parent, c.params.at(parameter), *name, c.request.body));
        return ok(to_json(attachment), 201);
      },
      // Larger bodies are answered 413 before the handler runs (ApiServer::dispatch).
      static_cast<std::size_t>(deps.attachments.max_bytes()));
}

}  // namespace

void add_attachment_routes(Router& router, const ApiDeps& deps) {
  add_parent_routes(router, deps, "use-cases", "use_case", AttachmentParent::kUseCase);
  add_parent_routes(router, deps, "consents", "consent", AttachmentParent::kConsent);
  add_parent_routes(router, deps, "approvals", "approval", AttachmentParent::kApproval);
  add_parent_routes(router, deps, "tools", "tool", AttachmentParent::kTool);
  router.add("GET", std::string(kApiPrefix) + "/attachments/{attachment}/content",
             Access::kAuthenticated, [&deps](RequestContext& c) -> base::Result<HttpResponse> {
               clearance::AttachmentFile file =
                   CC_TRY(deps.attachments.download(*c.actor, CC_TRY(c.id("attachment"))));
               HttpResponse response;
               response.status = 200;
               response.content_type = file.attachment.content_type;
               response.body = std::move(file.bytes);
               response.set_header("Content-Disposition",
                                   content_disposition(file.attachment.file_name));
               response.set_header("X-Content-Type-Options", "nosniff");
               // Opened directly, nothing in it runs or loads: no scripts, no plugins, a
               // sandboxed origin.
               response.set_header("Content-Security-Policy",
                                   "default-src 'none'; sandbox; frame-ancestors 'none'");
               return response;
             });
}

}  // namespace clearcut::api
