#include "clearcut/clearance/sso_service.h"

#include <map>

#include <nlohmann/json.hpp>

#include "clearcut/base/hex.h"
#include "clearcut/crypto/secret.h"
#include "clearcut/crypto/sha256.h"

namespace clearcut::clearance {
namespace {

using Json = nlohmann::json;

base::Error refused(const std::string& message) {
  return base::Error(base::ErrorCode::kUnauthenticated, message);
}

base::Error denied(const std::string& message) {
  return base::Error(base::ErrorCode::kPermissionDenied, message);
}

std::string state_hash(const std::string& state) {
  return base::to_hex(crypto::sha256(state));
}

// Seniority for a person several mapped values give roles on one production.
int seniority(domain::Role role) {
  switch (role) {
    case domain::Role::kPartner:
      return 0;
    case domain::Role::kContact:
      return 1;
    case domain::Role::kLegal:
      return 2;
  }
  return 0;
}

// Whether the claim holds `value`: equal to it, or (an array) containing it.
bool holds(const Json& claims, const std::string& claim, const std::string& value) {
  auto it = claims.find(claim);
  if (it == claims.end()) {
    return false;
  }
  if (it->is_string()) {
    return *it == value;
  }
  if (it->is_array()) {
    for (const Json& one : *it) {
      if (one.is_string() && one == value) {
        return true;
      }
    }
  }
  return false;
}

// At most `limit` bytes of UTF-8 `text`, cut between characters.
std::string shortened(const std::string& text, size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
    --cut;  // a continuation byte: the character started before
  }
  return text.substr(0, cut);
}

}  // namespace

bool is_local_return_path(const std::string& path) {
  if (path.empty() || path.size() > 512 || path[0] != '/' || (path.size() > 1 && path[1] == '/')) {
    return false;
  }
  for (char c : path) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return false;
    }
  }
  return true;
}

SsoService::SsoService(store::Store& store, AuditLog& audit, const Clock& clock,
                       AccountService& accounts, oidc::OidcClient& client, SsoOptions options)
    : store_(store),
      audit_(audit),
      clock_(clock),
      accounts_(accounts),
      client_(client),
      options_(std::move(options)) {}

base::Status SsoService::record(store::Transaction& tx, const std::string& time,
                                const std::string& actor, const std::string& action,
                                const std::string& subject_type, const std::string& subject_id,
                                const std::string& payload_json) {
  audit::AuditEvent event;
  event.time = time;
  event.actor = actor;
  event.action = action;
  event.subject_type = subject_type;
  event.subject_id = subject_id;
  event.payload_json = payload_json;
  CC_TRY(audit_.append(tx, std::move(event)));
  return {};
}

base::Result<SsoStart> SsoService::start(const std::string& return_to) {
  oidc::AuthorizationStart begun = CC_TRY(client_.start());
  domain::SsoLogin login;
  login.state_hash = state_hash(begun.state);
  login.nonce = begun.nonce;
  login.code_verifier = begun.code_verifier;
  login.return_to = is_local_return_path(return_to) ? return_to : "/";
  login.created_at = now();
  login.expires_at = format_rfc3339(clock_.now() + options_.login_ttl);
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().add_sso_login(login, login.created_at));
  if (CC_TRY(tx->accounts().count_sso_logins()) > options_.max_pending_logins) {
    return base::Error(base::ErrorCode::kUnavailable,
                       "too many sign-ins are under way; try again in a few minutes");
  }
  CC_TRY(tx->commit());
  return SsoStart{begun.url, begun.state};
}

base::Result<SsoSignIn> SsoService::finish(const std::string& code, const std::string& state,
                                           const std::string& browser_state,
                                           const std::string& remote_address) {
  if (state.empty() || code.empty()) {
    return refused(
        "the identity provider sent no sign-in code: start again from the sign-in "
        "page");
  }
  std::optional<domain::SsoLogin> login;
  {
    // Taken in its own transaction: the state is spent even if the rest fails.
    auto tx = CC_TRY(store_.begin());
    login = CC_TRY(tx->accounts().take_sso_login(state_hash(state)));
    CC_TRY(tx->commit());
  }
  if (!login || login->expires_at <= now()) {
    return refused(
        "this sign-in link was already used or has expired: start again from the "
        "sign-in page");
  }
  if (!crypto::equal_constant_time(state, browser_state)) {
    return refused(
        "this sign-in was started in another browser, or its cookie was lost: start "
        "again from the sign-in page");
  }
  oidc::Identity who = CC_TRY(client_.finish(code, login->code_verifier, login->nonce));
  auto tx = CC_TRY(store_.begin());
  SsoSignIn out;
  int64_t user_id = CC_TRY(user_for(*tx, who, &out.created));
  CC_TRY(apply_mappings(*tx, user_id, who));
  out.login = CC_TRY(accounts_.open_session(*tx, user_id, remote_address, "sso"));
  out.return_to = login->return_to;
  CC_TRY(tx->commit());
  return out;
}

base::Result<int64_t> SsoService::user_for(store::Transaction& tx, const oidc::Identity& who,
                                           bool* created) {
  std::optional<domain::UserIdentity> linked =
      CC_TRY(tx.accounts().find_identity(who.issuer, who.subject));
  if (linked) {
    return linked->user_id;
  }
  if (who.email.empty() || who.email.find('@') == std::string::npos || who.email.size() > 254) {
    return refused(
        "the identity provider did not release your e-mail address (the email scope), "
        "which this server needs to make your account: ask your administrator");
  }
  std::optional<domain::User> existing = CC_TRY(tx.accounts().find_user_by_email(who.email));
  int64_t user_id = 0;
  if (existing) {
    if (!who.email_verified) {  // linked only when the provider vouches for the address
      return refused("an account with the e-mail " + who.email +
                     " exists here, and the identity provider does not vouch for the address: "
                     "ask an administrator to link it");
    }
    user_id = existing->id;
  } else {
    domain::User user;
    user.organization_id = options_.organization_id;
    if (user.organization_id == 0) {
      std::vector<domain::Organization> organizations = CC_TRY(tx.accounts().list_organizations());
      if (organizations.empty()) {
        return refused(
            "this server has no organization to make your account in yet: ask an "
            "administrator");
      }
      user.organization_id = organizations.front().id;
    }
    user.email = who.email;
    user.name = who.name.empty() ? who.email : shortened(who.name, 200);
    user.created_at = now();  // no password: this account signs in through the provider
    user.id = CC_TRY(tx.accounts().create_user(user));
    user_id = user.id;
    *created = true;
    CC_TRY(record(tx, user.created_at, "sso", "user.created", "user", std::to_string(user.id),
                  Json({{"email", user.email},
                        {"admin", false},
                        {"name", user.name},
                        {"organization_id", user.organization_id},
                        {"password_sha256", base::to_hex(crypto::sha256(std::string()))},
                        {"issuer", who.issuer}})
                      .dump()));
  }
  domain::UserIdentity identity{who.issuer, who.subject, user_id, now()};
  CC_TRY(tx.accounts().link_identity(identity));
  CC_TRY(record(
      tx, identity.created_at, "sso", "user.identity_linked", "user", std::to_string(user_id),
      Json({{"issuer", who.issuer}, {"subject", who.subject}, {"created_at", identity.created_at}})
          .dump()));
  return user_id;
}

base::Status SsoService::apply_mappings(store::Transaction& tx, int64_t user_id,
                                        const oidc::Identity& who) {
  std::vector<domain::SsoRoleMapping> mappings = CC_TRY(tx.accounts().list_sso_mappings());
  if (mappings.empty()) {
    return {};
  }
  std::map<int64_t, std::optional<domain::Role>> wanted;  // every mapped production
  for (const domain::SsoRoleMapping& m : mappings) {
    std::optional<domain::Role>& role = wanted[m.production_id];
    if (holds(who.claims, m.claim, m.value) && (!role || seniority(m.role) > seniority(*role))) {
      role = m.role;
    }
  }
  std::map<int64_t, domain::Role> held;
  for (const domain::Membership& m : CC_TRY(tx.accounts().list_memberships_of_user(user_id))) {
    held[m.production_id] = m.role;
  }
  for (const auto& [production_id, role] : wanted) {
    auto now_held = held.find(production_id);
    if (role && (now_held == held.end() || now_held->second != *role)) {
      CC_TRY(tx.accounts().set_membership({user_id, production_id, *role}));
      CC_TRY(record(tx, now(), "sso", "membership.set", "production", std::to_string(production_id),
                    Json({{"user_id", user_id}, {"role", domain::role_name(*role)}}).dump()));
    } else if (!role && now_held != held.end()) {
      CC_TRY(tx.accounts().remove_membership(user_id, production_id));
      CC_TRY(record(tx, now(), "sso", "membership.removed", "production",
                    std::to_string(production_id), Json({{"user_id", user_id}}).dump()));
    }
  }
  return {};
}

base::Result<std::vector<domain::SsoRoleMapping>> SsoService::list_mappings(const Actor& actor) {
  if (!actor.admin()) {
    return denied("only an admin reads the single sign-on role mappings");
  }
  auto tx = CC_TRY(store_.begin());
  return tx->accounts().list_sso_mappings();
}

base::Result<domain::SsoRoleMapping> SsoService::add_mapping(const Actor& actor,
                                                             domain::SsoRoleMapping mapping) {
  if (!actor.admin()) {
    return denied("only an admin maps single sign-on claims to roles");
  }
  if (mapping.claim.empty() || mapping.claim.size() > 100) {
    return base::invalid_argument("a claim name has 1 to 100 characters").with_field("claim");
  }
  if (mapping.value.empty() || mapping.value.size() > 500) {
    return base::invalid_argument("a claim value has 1 to 500 characters").with_field("value");
  }
  mapping.created_at = now();
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().get_production(mapping.production_id));
  mapping.id = CC_TRY(tx->accounts().create_sso_mapping(mapping));
  CC_TRY(record(*tx, mapping.created_at, actor.audit_name(), "sso_mapping.created", "sso_mapping",
                std::to_string(mapping.id),
                Json({{"claim", mapping.claim},
                      {"value", mapping.value},
                      {"production_id", mapping.production_id},
                      {"role", domain::role_name(mapping.role)},
                      {"created_at", mapping.created_at}})
                    .dump()));
  CC_TRY(tx->commit());
  return mapping;
}

base::Status SsoService::remove_mapping(const Actor& actor, int64_t id) {
  if (!actor.admin()) {
    return denied("only an admin removes single sign-on role mappings");
  }
  auto tx = CC_TRY(store_.begin());
  CC_TRY(tx->accounts().delete_sso_mapping(id));
  CC_TRY(record(*tx, now(), actor.audit_name(), "sso_mapping.deleted", "sso_mapping",
                std::to_string(id), "{}"));
  return tx->commit();
}

}  // namespace clearcut::clearance
