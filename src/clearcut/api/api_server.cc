#include "clearcut/api/api_server.h"

#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

#include "clearcut/api/error_mapping.h"
#include "clearcut/api/json_input.h"
#include "clearcut/api/json_views.h"
#include "clearcut/base/hex.h"
#include "clearcut/base/utf8.h"
#include "clearcut/domain/declaration_schema.h"

namespace clearcut::api {

using clearance::Actor;
using http::HttpRequest;
using http::HttpResponse;
using nlohmann::json;

constexpr std::string_view kSessionCookie = "clearcut_session";
constexpr std::string_view kPrefix = "/api/v1";

struct ApiServer::Context {
  const HttpRequest& request;
  std::map<std::string, std::string> params;
  std::optional<Actor> actor;
  bool via_session = false;
  std::string session_secret;

  base::Result<int64_t> id(const std::string& name) const {
    const std::string& text = params.at(name);
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
      return base::not_found("no such " + name + " '" + text + "'");
    }
    return value;
  }
  base::Result<int64_t> query_int(const std::string& name, int64_t fallback, int64_t min,
                                  int64_t max) const {
    std::optional<std::string> text = request.query_param(name);
    if (!text) {
      if (fallback < min) {
        return base::invalid_argument("required query parameter").with_field(name);
      }
      return fallback;
    }
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
      return base::invalid_argument("expected an integer from " + std::to_string(min) + " to " +
                                    std::to_string(max))
          .with_field(name);
    }
    return value;
  }
};

namespace {

// Handlers bind each CC_TRY to a variable before building the answer: a CC_TRY that returns
// from inside a braced list of JSON pairs skips the destructors of the pairs built before it
// (GCC statement expressions), and every refused request leaked them.
HttpResponse ok(const json& body, int status = 200) {
  return HttpResponse::json(status, body.dump());
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    if (slash > start) {
      segments.emplace_back(path.substr(start, slash - start));
    }
    start = slash + 1;
  }
  return segments;
}

// Compares two secrets in time that depends only on their lengths, not on where they differ.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
  }
  return diff == 0;
}

std::optional<std::string> cookie(const HttpRequest& request, std::string_view name) {
  std::optional<std::string_view> header = request.header("Cookie");
  if (!header) {
    return std::nullopt;
  }
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (end == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

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

base::Result<domain::Tool> tool_from(const JsonInput& in, const std::string& id) {
  domain::Tool tool;
  tool.id = id;
  tool.name = CC_TRY(in.text("name", false));
  tool.vendor = CC_TRY(in.text("vendor", false));
  tool.license_tier = CC_TRY(in.text("license_tier", false));
  tool.reviewed_on = CC_TRY(in.text("reviewed_on", false));
  for (const domain::FieldSpec& field : domain::stage_fields()) {
    if (field.kind != domain::FieldKind::kTri || !in.has(std::string(field.path))) {
      continue;
    }
    const json& v = in.raw(std::string(field.path));
    if (v.is_null()) {
      continue;
    }
    std::string word = v.is_boolean()  ? (v.get<bool>() ? "yes" : "no")
                       : v.is_string() ? v.get<std::string>()
                                       : "";
    if (word == "yes") {
      tool.scalars[field.slot] = domain::kYes;
    } else if (word == "no") {
      tool.scalars[field.slot] = domain::kNo;
    } else if (word == "unsure") {
      tool.scalars[field.slot] = domain::kUnsure;
    } else {
      return base::invalid_argument("expected yes, no, unsure or null")
          .with_field(std::string(field.path));
    }
  }
  return tool;
}

json retriage_json(const std::vector<clearance::Retriage>& changes) {
  json out = json::array();
  for (const auto& c : changes) {
    out.push_back({{"use_case_id", c.use_case_id}, {"from", c.from_outcome}, {"to", c.to_outcome}});
  }
  return out;
}

template <typename T>
json list_json(const std::vector<T>& items) {
  json out = json::array();
  for (const T& item : items) {
    out.push_back(to_json(item));
  }
  return out;
}

void add_security_headers(HttpResponse& response, bool api) {
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Referrer-Policy", "no-referrer");
  if (api) {
    response.set_header("Cache-Control", "no-store");
  } else {
    response.set_header("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
  }
}

std::string content_type_for(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html"))
    return "text/html; charset=utf-8";
  if (ends(".js"))
    return "text/javascript; charset=utf-8";
  if (ends(".css"))
    return "text/css; charset=utf-8";
  if (ends(".svg"))
    return "image/svg+xml";
  if (ends(".png"))
    return "image/png";
  if (ends(".json"))
    return "application/json";
  return "application/octet-stream";
}

}  // namespace

ApiServer::ApiServer(clearance::ClearanceService& clearance, clearance::AccountService& accounts,
                     clearance::AssetService& assets, clearance::ScanJobService& scans,
                     store::Store& store, ApiOptions options)
    : clearance_(clearance),
      accounts_(accounts),
      assets_(assets),
      scans_(scans),
      store_(store),
      options_(std::move(options)) {
  add_routes();
}

void ApiServer::add(std::string method, const std::string& pattern, bool authenticated,
                    Handler handler) {
  routes_.push_back({std::move(method), split_path(pattern), authenticated, std::move(handler)});
}

std::vector<std::string> ApiServer::routes() const {
  std::vector<std::string> out;
  for (const Route& r : routes_) {
    std::string path;
    for (const std::string& s : r.segments) {
      path += "/" + s;
    }
    out.push_back(r.method + " " + path);
  }
  return out;
}

HttpResponse ApiServer::handle(const HttpRequest& request) {
  bool api = request.path.rfind(kPrefix, 0) == 0;
  HttpResponse response;
  if (!api && options_.static_file && request.method == "GET") {
    std::string path = request.path == "/" ? "/index.html" : request.path;
    std::optional<std::string_view> file = options_.static_file(path);
    if (!file && path.find('.') == std::string::npos) {
      file = options_.static_file("/index.html");  // client-side routes
      path = "/index.html";
    }
    if (file) {
      response.status = 200;
      response.body = std::string(*file);
      response.content_type = content_type_for(path);
    } else {
      response = HttpResponse::error(404, "not_found", "no such page");
    }
  } else {
    response = dispatch(request);
  }
  add_security_headers(response, api);
  return response;
}

HttpResponse ApiServer::dispatch(const HttpRequest& request) {
  std::vector<std::string> segments = split_path(request.path);
  bool path_matched = false;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) {
      continue;
    }
    Context context{request, {}, std::nullopt, false, {}};
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        std::string name = want.substr(1, want.size() - 2);
        std::string value = http::percent_decode(segments[i], false);
        if (base::find_invalid_utf8(value) || value.find('\0') != std::string::npos) {
          // Identifiers are UTF-8 text; raw bytes would otherwise reach error messages.
          return error_response(
              base::invalid_argument("not UTF-8 text without NUL").with_field(std::move(name)));
        }
        context.params[std::move(name)] = std::move(value);
      } else {
        match = want == segments[i];
      }
    }
    if (!match) {
      continue;
    }
    path_matched = true;
    if (route.method != request.method) {
      continue;
    }
    if (route.authenticated) {
      std::optional<std::string_view> authorization = request.header("Authorization");
      if (authorization && authorization->rfind("Bearer ", 0) == 0) {
        auto actor = accounts_.authenticate_token(std::string(authorization->substr(7)));
        if (!actor.has_value()) {
          return error_response(actor.error());
        }
        context.actor = std::move(actor).value();
      } else if (std::optional<std::string> secret = cookie(request, kSessionCookie)) {
        auto session = accounts_.authenticate_session(*secret);
        if (!session.has_value()) {
          return error_response(session.error());
        }
        bool unsafe = request.method != "GET";
        std::optional<std::string_view> csrf = request.header("X-CSRF-Token");
        if (unsafe && (!csrf || !same_secret(*csrf, session->csrf_token))) {
          return error_response(base::Error(base::ErrorCode::kPermissionDenied,
                                            "missing or wrong X-CSRF-Token header"));
        }
        context.actor = std::move(session->actor);
        context.via_session = true;
        context.session_secret = *secret;
      } else {
        return error_response(base::Error(base::ErrorCode::kUnauthenticated,
                                          "sign in, or send Authorization: Bearer <token>"));
      }
    }
    auto response = route.handler(context);
    if (!response.has_value()) {
      return error_response(response.error());
    }
    return std::move(response).value();
  }
  if (path_matched) {
    return HttpResponse::error(405, "method_not_allowed",
                               request.method + " is not allowed on " + request.path);
  }
  return HttpResponse::error(404, "not_found", "no such endpoint: " + request.path);
}

void ApiServer::add_routes() {
  const std::string v1(kPrefix);

  add("GET", v1 + "/health", false, [this](Context&) -> base::Result<HttpResponse> {
    return ok({{"status", "ok"}, {"database", std::string(store_.backend())}});
  });
  add("GET", v1 + "/openapi.json", false, [this](Context&) -> base::Result<HttpResponse> {
    return HttpResponse::json(200, options_.openapi_json);
  });

  // Sessions.
  add("POST", v1 + "/session", false, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(c.request, {"email", "password"}));
    std::string email = CC_TRY(in.text("email"));
    std::string password = CC_TRY(in.text("password"));
    clearance::LoginResult login = CC_TRY(
        accounts_.login(email, password, options_.trusted_proxies.client_address(c.request)));
    HttpResponse response = ok({{"user", to_json(login.actor)},
                                {"csrf_token", login.csrf_token},
                                {"expires_at", login.expires_at}},
                               201);
    response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" +
                                                    login.session_secret +
                                                    "; Path=/; HttpOnly; SameSite=Strict" +
                                                    (options_.secure_cookies ? "; Secure" : ""));
    return response;
  });
  add("DELETE", v1 + "/session", true, [this](Context& c) -> base::Result<HttpResponse> {
    if (c.via_session) {
      CC_TRY(accounts_.logout(c.session_secret));
    }
    HttpResponse response = ok(json::object());
    response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                                    "=; Path=/; HttpOnly; SameSite=Strict; "
                                                    "Max-Age=0" +
                                                    (options_.secure_cookies ? "; Secure" : ""));
    return response;
  });
  add("GET", v1 + "/me", true, [this](Context& c) -> base::Result<HttpResponse> {
    json out = {{"user", to_json(*c.actor)}};
    if (c.via_session) {
      auto session = CC_TRY(accounts_.authenticate_session(c.session_secret));
      out["csrf_token"] = session.csrf_token;
    }
    return ok(out);
  });

  // The declaration's fields and vocabularies, from the one table the reader uses, so that
  // forms never drift from the contract.
  add("GET", v1 + "/schema", false, [](Context&) -> base::Result<HttpResponse> {
    static const std::string body = [] {
      auto kind_name = [](domain::FieldKind kind) {
        switch (kind) {
          case domain::FieldKind::kTri:
            return "tri";
          case domain::FieldKind::kEnum:
            return "enum";
          case domain::FieldKind::kList:
            return "list";
          case domain::FieldKind::kText:
            return "text";
        }
        return "text";
      };
      auto fields = [&](std::span<const domain::FieldSpec> specs) {
        json out = json::array();
        for (const domain::FieldSpec& f : specs) {
          json vocabulary = json::array();
          for (std::string_view word : f.vocabulary) {
            vocabulary.push_back(std::string(word));
          }
          out.push_back({{"path", std::string(f.path)},
                         {"kind", kind_name(f.kind)},
                         {"vocabulary", vocabulary}});
        }
        return out;
      };
      return json({{"schema", "clearcut/v1"},
                   {"fields", fields(domain::declaration_fields())},
                   {"stage_fields", fields(domain::stage_fields())}})
          .dump();
    }();
    return HttpResponse::json(200, body);
  });

  // Stateless triage.
  add("POST", v1 + "/assess", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(c.request, {"declaration"}));
    std::string text = CC_TRY(declaration_text(in, "declaration"));
    clearance::Assessment assessment = CC_TRY(clearance_.assess(text));
    return HttpResponse::json(200, assessment.decision_json);
  });

  // Productions and members.
  add("GET", v1 + "/productions", true, [this](Context& c) -> base::Result<HttpResponse> {
    auto items = CC_TRY(clearance_.list_productions(*c.actor));
    return ok({{"items", list_json(items)}});
  });
  add("POST", v1 + "/productions", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(c.request, {"code", "title", "organization_id"}));
    domain::Production p;
    p.code = CC_TRY(in.text("code"));
    p.title = CC_TRY(in.text("title", false));
    p.organization_id = CC_TRY(in.integer("organization_id", false));
    if (p.organization_id == 0) {
      p.organization_id = c.actor->user.organization_id;
    }
    return ok(to_json(CC_TRY(clearance_.create_production(*c.actor, p))), 201);
  });
  add("PUT", v1 + "/productions/{production}/members/{user}", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"role"}));
        std::string role = CC_TRY(in.text("role"));
        std::optional<domain::Role> parsed = domain::parse_role(role);
        if (!parsed) {
          return base::invalid_argument("expected partner, contact or legal").with_field("role");
        }
        domain::Membership m{CC_TRY(c.id("user")), CC_TRY(c.id("production")), *parsed};
        CC_TRY(clearance_.set_membership(*c.actor, m));
        return ok({{"user_id", m.user_id}, {"production_id", m.production_id}, {"role", role}});
      });

  // Use cases.
  add("GET", v1 + "/productions/{production}/use-cases", true,
      [this](Context& c) -> base::Result<HttpResponse> {
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
        auto items = CC_TRY(clearance_.list_use_cases(*c.actor, filter));
        json out = json::array();
        for (const auto& u : items) {
          out.push_back(to_json(u, false));
        }
        json next = items.size() == static_cast<size_t>(filter.limit) ? json(items.back().id)
                                                                      : json(nullptr);
        return ok({{"items", out}, {"next_after", next}});
      });
  add("POST", v1 + "/productions/{production}/use-cases", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"declaration", "submit"}));
        std::string text = CC_TRY(declaration_text(in, "declaration"));
        bool submit = CC_TRY(in.boolean("submit", false));
        domain::UseCase u =
            CC_TRY(clearance_.create_use_case(*c.actor, CC_TRY(c.id("production")), text, submit));
        return ok(to_json(u, true), 201);
      });
  add("GET", v1 + "/use-cases/{use_case}", true, [this](Context& c) -> base::Result<HttpResponse> {
    clearance::UseCaseDetail d =
        CC_TRY(clearance_.get_use_case(*c.actor, CC_TRY(c.id("use_case"))));
    json out = to_json(d.use_case, true);
    out["events"] = list_json(d.events);
    out["comments"] = list_json(d.comments);
    out["approvals"] = list_json(d.approvals);
    return ok(out);
  });
  add("PUT", v1 + "/use-cases/{use_case}/declaration", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"declaration", "revision"}));
        std::string text = CC_TRY(declaration_text(in, "declaration"));
        int64_t revision = CC_TRY(in.integer("revision"));
        return ok(to_json(CC_TRY(clearance_.update_declaration(*c.actor, CC_TRY(c.id("use_case")),
                                                               revision, text)),
                          true));
      });
  add("POST", v1 + "/use-cases/{use_case}/transitions", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"action", "revision", "note"}));
        std::string name = CC_TRY(in.text("action"));
        std::optional<clearance::UseCaseAction> action = clearance::parse_use_case_action(name);
        if (!action) {
          return base::invalid_argument(
                     "expected submit, withdraw, acknowledge, request_changes, escalate or "
                     "reject (approvals have their own endpoint)")
              .with_field("action");
        }
        int64_t revision = CC_TRY(in.integer("revision"));
        std::string note = CC_TRY(in.text("note", false));
        return ok(to_json(CC_TRY(clearance_.transition(*c.actor, CC_TRY(c.id("use_case")), revision,
                                                       *action, note)),
                          true));
      });
  add("POST", v1 + "/use-cases/{use_case}/approvals", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in =
            CC_TRY(JsonInput::parse(c.request, {"revision", "conditions", "scope", "expires_at"}));
        clearance::ApprovalRequest request;
        int64_t revision = CC_TRY(in.integer("revision"));
        request.conditions = CC_TRY(in.text("conditions", false));
        request.expires_at = CC_TRY(in.text("expires_at", false));
        if (in.has("scope")) {
          request.scope_json = in.raw("scope").dump();
        }
        domain::Approval a =
            CC_TRY(clearance_.approve(*c.actor, CC_TRY(c.id("use_case")), revision, request));
        return ok(to_json(a), 201);
      });
  add("POST", v1 + "/use-cases/{use_case}/comments", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"body"}));
        std::string body = CC_TRY(in.text("body"));
        return ok(to_json(CC_TRY(clearance_.add_comment(*c.actor, CC_TRY(c.id("use_case")), body))),
                  201);
      });

  // Consents.
  add("GET", v1 + "/productions/{production}/consents", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        auto items = CC_TRY(clearance_.list_consents(*c.actor, CC_TRY(c.id("production"))));
        return ok({{"items", list_json(items)}});
      });
  add("POST", v1 + "/productions/{production}/consents", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in =
            CC_TRY(JsonInput::parse(c.request, {"performer", "kind", "scope", "document_sha256",
                                                "expires_at", "use_case_id"}));
        domain::Consent consent;
        consent.production_id = CC_TRY(c.id("production"));
        consent.performer = CC_TRY(in.text("performer"));
        std::string kind = CC_TRY(in.text("kind"));
        std::optional<domain::ConsentKind> parsed = domain::parse_consent_kind(kind);
        if (!parsed) {
          return base::invalid_argument("expected replica_creation, replica_use or alteration")
              .with_field("kind");
        }
        consent.kind = *parsed;
        consent.scope = CC_TRY(in.text("scope"));
        consent.document_sha256 = CC_TRY(in.text("document_sha256"));
        consent.expires_at = CC_TRY(in.text("expires_at", false));
        consent.use_case_id = CC_TRY(in.integer("use_case_id", false));
        if (!base::from_hex(consent.document_sha256)) {
          return base::invalid_argument("expected hex digits").with_field("document_sha256");
        }
        return ok(to_json(CC_TRY(clearance_.record_consent(*c.actor, consent))), 201);
      });
  add("POST", v1 + "/consents/{consent}/revoke", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        return ok(to_json(CC_TRY(clearance_.revoke_consent(*c.actor, CC_TRY(c.id("consent"))))));
      });

  // Registered AI outputs.
  add("POST", v1 + "/productions/{production}/assets", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(
            c.request, {"use_case_id", "file_name", "media_type", "sha256", "pdq", "pdq_quality",
                        "width", "height", "duration_ms", "manifest_id", "watermark_payload",
                        "thumbnail", "frame_pdq"}));
        domain::Asset a;
        a.production_id = CC_TRY(c.id("production"));
        a.use_case_id = CC_TRY(in.integer("use_case_id"));
        a.file_name = CC_TRY(in.text("file_name", false));
        a.media_type = CC_TRY(in.text("media_type", false));
        a.sha256 = CC_TRY(in.text("sha256"));
        a.pdq = CC_TRY(in.text("pdq", false));
        a.pdq_quality = static_cast<int>(CC_TRY(in.integer("pdq_quality", false)));
        a.width = static_cast<int>(CC_TRY(in.integer("width", false)));
        a.height = static_cast<int>(CC_TRY(in.integer("height", false)));
        a.duration_ms = CC_TRY(in.integer("duration_ms", false));
        a.manifest_id = CC_TRY(in.text("manifest_id", false));
        a.thumbnail = CC_TRY(in.text("thumbnail", false));
        if (in.has("frame_pdq")) {
          const json& codes = in.raw("frame_pdq");
          if (!codes.is_array()) {
            return base::invalid_argument("expected an array of hex PDQ hashes")
                .with_field("frame_pdq");
          }
          for (const json& code : codes) {
            if (!code.is_string()) {
              return base::invalid_argument("expected an array of hex PDQ hashes")
                  .with_field("frame_pdq");
            }
            a.frame_pdq.push_back(code.get<std::string>());
          }
        }
        // 64-bit payloads travel as decimal strings: JSON numbers lose precision past 2^53.
        std::string payload = CC_TRY(in.text("watermark_payload", false));
        if (!payload.empty()) {
          auto [end, ec] =
              std::from_chars(payload.data(), payload.data() + payload.size(), a.watermark_payload);
          if (ec != std::errc() || end != payload.data() + payload.size()) {
            return base::invalid_argument("expected a decimal 64-bit number as a string")
                .with_field("watermark_payload");
          }
        }
        return ok(to_json(CC_TRY(assets_.register_asset(*c.actor, a))), 201);
      });
  add("GET", v1 + "/productions/{production}/assets", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        int64_t after = CC_TRY(c.query_int("after", 0, 0, INT64_MAX));
        int limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
        auto items =
            CC_TRY(assets_.list_assets(*c.actor, CC_TRY(c.id("production")), after, limit));
        json next =
            items.size() == static_cast<size_t>(limit) ? json(items.back().id) : json(nullptr);
        return ok({{"items", list_json(items)}, {"next_after", next}});
      });
  add("GET", v1 + "/assets/lookup", true, [this](Context& c) -> base::Result<HttpResponse> {
    clearance::AssetService::Lookup query;
    query.sha256 = c.request.query_param("sha256").value_or("");
    query.pdq = c.request.query_param("pdq").value_or("");
    query.radius = static_cast<int>(CC_TRY(c.query_int("radius", 31, 0, 128)));
    std::string payload = c.request.query_param("watermark_payload").value_or("");
    if (!payload.empty()) {
      auto [end, ec] =
          std::from_chars(payload.data(), payload.data() + payload.size(), query.watermark_payload);
      if (ec != std::errc() || end != payload.data() + payload.size()) {
        return base::invalid_argument("expected a decimal 64-bit number")
            .with_field("watermark_payload");
      }
    }
    // CC_TRY outside the braced list: jumping out of one leaks what it had built.
    auto items = CC_TRY(assets_.lookup(*c.actor, query));
    return ok({{"items", list_json(items)}});
  });
  add("GET", v1 + "/assets/{asset}", true, [this](Context& c) -> base::Result<HttpResponse> {
    return ok(to_json(CC_TRY(assets_.get_asset(*c.actor, CC_TRY(c.id("asset"))))));
  });
  add("POST", v1 + "/assets/{asset}/status", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"status", "note"}));
        std::string status = CC_TRY(in.text("status"));
        std::optional<domain::AssetStatus> parsed = domain::parse_asset_status(status);
        if (!parsed || *parsed == domain::AssetStatus::kProvisional) {
          return base::invalid_argument("expected cleared or rejected").with_field("status");
        }
        std::string note = CC_TRY(in.text("note", false));
        return ok(
            to_json(CC_TRY(assets_.set_status(*c.actor, CC_TRY(c.id("asset")), *parsed, note))));
      });

  // Delivery scans, run by scan workers.
  add("POST", v1 + "/productions/{production}/scans", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        JsonInput in = CC_TRY(JsonInput::parse(c.request, {"paths", "stride", "radius"}));
        clearance::ScanRequest request;
        if (!in.has("paths") || !in.raw("paths").is_array()) {
          return base::invalid_argument("expected an array of paths relative to the scan root")
              .with_field("paths");
        }
        for (const json& path : in.raw("paths")) {
          if (!path.is_string()) {
            return base::invalid_argument("expected an array of strings").with_field("paths");
          }
          request.paths.push_back(path.get<std::string>());
        }
        if (in.has("stride")) {
          request.stride = static_cast<int>(CC_TRY(in.integer("stride")));
        }
        if (in.has("radius")) {
          request.radius = static_cast<int>(CC_TRY(in.integer("radius")));
        }
        auto job = CC_TRY(scans_.submit(*c.actor, CC_TRY(c.id("production")), request));
        return ok(to_json(job), 202);
      });
  add("GET", v1 + "/productions/{production}/scans", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        int64_t before = CC_TRY(c.query_int("before", 0, 0, INT64_MAX));
        int limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
        auto items = CC_TRY(scans_.list(*c.actor, CC_TRY(c.id("production")), before, limit));
        json next =
            items.size() == static_cast<size_t>(limit) ? json(items.back().id) : json(nullptr);
        return ok({{"items", list_json(items)}, {"next_before", next}});
      });
  // Other productions' scans that matched this production's assets (legal and admins).
  add("GET", v1 + "/productions/{production}/cross-production-matches", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        int64_t before = CC_TRY(c.query_int("before", 0, 0, INT64_MAX));
        int limit = static_cast<int>(CC_TRY(c.query_int("limit", 50, 1, 1000)));
        auto items = CC_TRY(
            scans_.cross_production_matches(*c.actor, CC_TRY(c.id("production")), before, limit));
        json next =
            items.size() == static_cast<size_t>(limit) ? json(items.back().id) : json(nullptr);
        return ok({{"items", list_json(items)}, {"next_before", next}});
      });
  add("GET", v1 + "/scans/{scan}", true, [this](Context& c) -> base::Result<HttpResponse> {
    return ok(to_json(CC_TRY(scans_.get(*c.actor, CC_TRY(c.id("scan"))))));
  });
  add("GET", v1 + "/scans/{scan}/report", true, [this](Context& c) -> base::Result<HttpResponse> {
    return HttpResponse::json(200, CC_TRY(scans_.report(*c.actor, CC_TRY(c.id("scan")), "json")));
  });
  add("GET", v1 + "/scans/{scan}/report.html", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        HttpResponse response;
        response.body = CC_TRY(scans_.report(*c.actor, CC_TRY(c.id("scan")), "html"));
        response.content_type = "text/html; charset=utf-8";
        // The page is self-contained: inline styles and data: images, nothing else.
        response.set_header("Content-Security-Policy",
                            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                            "frame-ancestors 'none'");
        return response;
      });

  // Tool registry.
  add("GET", v1 + "/tools", true, [this](Context& c) -> base::Result<HttpResponse> {
    auto items = CC_TRY(clearance_.list_tools(*c.actor));
    return ok({{"items", list_json(items)}});
  });
  add("PUT", v1 + "/tools/{tool}", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(
        c.request, {"name", "vendor", "license_tier", "reviewed_on", "enterprise_agreement",
                    "trains_on_data", "retains_data", "terms_reviewed"}));
    domain::Tool tool = CC_TRY(tool_from(in, c.params.at("tool")));
    CC_TRY(clearance_.upsert_tool(*c.actor, tool));
    return ok(to_json(tool));
  });
  add("DELETE", v1 + "/tools/{tool}", true, [this](Context& c) -> base::Result<HttpResponse> {
    CC_TRY(clearance_.delete_tool(*c.actor, c.params.at("tool")));
    return ok(json::object());
  });

  // Policy packs.
  add("GET", v1 + "/policy-packs", true, [this](Context& c) -> base::Result<HttpResponse> {
    auto items = CC_TRY(clearance_.list_policy_packs(*c.actor));
    return ok({{"items", list_json(items)}});
  });
  add("POST", v1 + "/policy-packs/preview", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text"}));
    std::string text = CC_TRY(in.text("text"));
    auto changes = CC_TRY(clearance_.preview_policy_pack(*c.actor, text));
    return ok({{"changes", retriage_json(changes)}});
  });
  add("POST", v1 + "/policy-packs/test", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text", "cases"}));
    std::string text = CC_TRY(in.text("text"));
    if (!in.has("cases") || !in.raw("cases").is_array()) {
      return base::invalid_argument("expected a list of {name, text} case files")
          .with_field("cases");
    }
    std::vector<policy::CaseFile> cases;
    for (const json& item : in.raw("cases")) {
      if (!item.is_object() || !item.contains("text") || !item["text"].is_string() ||
          (item.contains("name") && !item["name"].is_string())) {
        return base::invalid_argument("expected {name, text} with text a string")
            .with_field("cases");
      }
      cases.push_back({item.value("name", "cases.yaml"), item["text"].get<std::string>()});
    }
    policy::SuiteResult result = CC_TRY(clearance_.test_policy_pack(*c.actor, text, cases));
    json failures = json::array();
    for (const auto& f : result.failures) {
      failures.push_back(
          {{"file", f.file}, {"line", f.line}, {"name", f.name}, {"message", f.message}});
    }
    return ok({{"passed", result.passed}, {"failed", result.failed}, {"failures", failures}});
  });
  add("POST", v1 + "/policy-packs", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(c.request, {"text"}));
    std::string text = CC_TRY(in.text("text"));
    auto changes = CC_TRY(clearance_.activate_policy_pack(*c.actor, text));
    return ok({{"changes", retriage_json(changes)}}, 201);
  });

  // Users and tokens.
  add("GET", v1 + "/users", true, [this](Context& c) -> base::Result<HttpResponse> {
    auto items = CC_TRY(accounts_.list_users(*c.actor));
    return ok({{"items", list_json(items)}});
  });
  add("POST", v1 + "/users", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(
        JsonInput::parse(c.request, {"email", "name", "password", "admin", "organization_id"}));
    clearance::NewUser user;
    user.email = CC_TRY(in.text("email"));
    user.name = CC_TRY(in.text("name", false));
    user.password = CC_TRY(in.text("password"));
    user.admin = CC_TRY(in.boolean("admin", false));
    user.organization_id = CC_TRY(in.integer("organization_id", false));
    if (user.organization_id == 0) {
      user.organization_id = c.actor->user.organization_id;
    }
    return ok(to_json(CC_TRY(accounts_.create_user(&*c.actor, user))), 201);
  });
  add("GET", v1 + "/tokens", true, [this](Context& c) -> base::Result<HttpResponse> {
    auto items = CC_TRY(accounts_.list_tokens(*c.actor));
    return ok({{"items", list_json(items)}});
  });
  add("POST", v1 + "/tokens", true, [this](Context& c) -> base::Result<HttpResponse> {
    JsonInput in = CC_TRY(JsonInput::parse(c.request, {"name"}));
    clearance::NewToken token = CC_TRY(accounts_.create_token(*c.actor, CC_TRY(in.text("name"))));
    json out = to_json(token.token);
    out["secret"] = token.secret;
    return ok(out, 201);
  });
  add("DELETE", v1 + "/tokens/{token}", true, [this](Context& c) -> base::Result<HttpResponse> {
    CC_TRY(accounts_.revoke_token(*c.actor, CC_TRY(c.id("token"))));
    return ok(json::object());
  });

  // The audit log.
  add("GET", v1 + "/audit/checkpoint", true, [this](Context&) -> base::Result<HttpResponse> {
    std::string note = CC_TRY(clearance_.checkpoint());
    HttpResponse response;
    response.body = note;
    response.content_type = "text/plain; charset=utf-8";
    return response;
  });
  // RFC 9162 proofs, so that anyone holding a checkpoint can check an entry or a later tree.
  add("GET", v1 + "/audit/proof/inclusion", true, [this](Context& c) -> base::Result<HttpResponse> {
    auto index = static_cast<uint64_t>(CC_TRY(c.query_int("index", -1, 0, INT64_MAX)));
    auto size = static_cast<uint64_t>(CC_TRY(c.query_int("size", -1, 1, INT64_MAX)));
    auto proof = CC_TRY(clearance_.inclusion_proof(index, size));
    json hashes = json::array();
    for (const auto& h : proof) {
      hashes.push_back(base::to_hex(h));
    }
    return ok({{"index", index}, {"tree_size", size}, {"proof", hashes}});
  });
  add("GET", v1 + "/audit/proof/consistency", true,
      [this](Context& c) -> base::Result<HttpResponse> {
        auto old_size = static_cast<uint64_t>(CC_TRY(c.query_int("old", -1, 1, INT64_MAX)));
        auto new_size = static_cast<uint64_t>(CC_TRY(c.query_int("new", -1, 1, INT64_MAX)));
        auto proof = CC_TRY(clearance_.consistency_proof(old_size, new_size));
        json hashes = json::array();
        for (const auto& h : proof) {
          hashes.push_back(base::to_hex(h));
        }
        return ok({{"old_size", old_size}, {"new_size", new_size}, {"proof", hashes}});
      });
  add("GET", v1 + "/audit/events", true, [this](Context& c) -> base::Result<HttpResponse> {
    if (!c.actor->admin()) {
      return base::Error(base::ErrorCode::kPermissionDenied, "only an admin reads the audit log");
    }
    auto from = static_cast<uint64_t>(CC_TRY(c.query_int("from", 0, 0, INT64_MAX)));
    auto limit = static_cast<uint64_t>(CC_TRY(c.query_int("limit", 100, 1, 1000)));
    auto tx = CC_TRY(store_.begin());
    auto records = CC_TRY(tx->list_audit_events(from, limit));
    json items = json::array();
    for (const auto& r : records) {
      items.push_back({{"sequence", r.event.sequence},
                       {"time", r.event.time},
                       {"actor", r.event.actor},
                       {"action", r.event.action},
                       {"subject_type", r.event.subject_type},
                       {"subject_id", r.event.subject_id},
                       {"payload", json::parse(r.event.payload_json, nullptr, false)},
                       {"leaf_hash", r.leaf_hash}});
    }
    uint64_t size = CC_TRY(tx->audit_size());
    return ok({{"items", items}, {"size", size}});
  });
}

}  // namespace clearcut::api
