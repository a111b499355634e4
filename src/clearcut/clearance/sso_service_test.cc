#include "clearcut/clearance/sso_service.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/audit/note_signer.h"
#include "clearcut/base/base64.h"
#include "clearcut/base/utf8.h"
#include "clearcut/clearance/state_replay.h"
#include "clearcut/crypto/key.h"
#include "clearcut/crypto/signature.h"
#include "clearcut/domain/validation.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {
namespace {

using Json = nlohmann::json;
using domain::Role;

const std::string kIssuer = "https://id.studio.example";

// A clock that moves a millisecond at each reading, so that a row and its event written at two
// readings differ as they would on a real clock (the replay compares them).
class TickingClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    now_ += std::chrono::milliseconds(1);
    return now_;
  }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  mutable std::chrono::system_clock::time_point now_ =
      domain::parse_rfc3339_utc("2026-12-01T10:00:00Z").value();
};

std::string b64(std::string_view text) {
  return base::base64url_encode(
      std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

// The provider: the code "good" gets an ID token for `person` with the nonce the client sent
// to /auth (read back from the authorization URL by the test).
class Provider {
 public:
  Provider() : key_(crypto::PrivateKey::generate(crypto::KeyKind::kP256).value()) {}

  oidc::Fetch fetch(const Clock& clock) {
    return [this, &clock](const std::string& method, const std::string& url,
                          const std::vector<std::pair<std::string, std::string>>&,
                          const std::string&) -> base::Result<net::HttpReply> {
      (void)method;
      if (url == kIssuer + "/.well-known/openid-configuration") {
        return net::HttpReply{200, "application/json",
                              Json({{"issuer", kIssuer},
                                    {"authorization_endpoint", kIssuer + "/auth"},
                                    {"token_endpoint", kIssuer + "/token"},
                                    {"jwks_uri", kIssuer + "/jwks"}})
                                  .dump()};
      }
      if (url == kIssuer + "/jwks") {
        crypto::EcPoint p = key_.public_key().ec_point().value();
        return net::HttpReply{200, "application/json",
                              Json({{"keys",
                                     {{{"kty", "EC"},
                                       {"kid", "k"},
                                       {"crv", "P-256"},
                                       {"x", base::base64url_encode(p.x)},
                                       {"y", base::base64url_encode(p.y)}}}}})
                                  .dump()};
      }
      int64_t now =
          std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
      Json claims = person;
      claims["iss"] = kIssuer;
      claims["aud"] = "clearcut";
      claims["iat"] = now;
      claims["exp"] = now + 300;
      claims["nonce"] = nonce;
      std::string input =
          b64(Json({{"alg", "ES256"}, {"kid", "k"}}).dump()) + "." + b64(claims.dump());
      std::vector<uint8_t> sig =
          crypto::sign(key_, crypto::SignatureScheme::kEcdsaSha256,
                       std::span(reinterpret_cast<const uint8_t*>(input.data()), input.size()))
              .value();
      return net::HttpReply{200, "application/json",
                            Json({{"id_token", input + "." + base::base64url_encode(sig)}}).dump()};
    };
  }

  Json person = {{"sub", "ana-1"},
                 {"email", "Ana@Studio.example"},
                 {"email_verified", true},
                 {"name", "Ana Lima"},
                 {"groups", {"s3-legal", "everyone"}}};
  std::string nonce;

 private:
  crypto::PrivateKey key_;
};

domain::SsoRoleMapping mapping(const std::string& value, int64_t production, Role role) {
  domain::SsoRoleMapping m;
  m.claim = "groups";
  m.value = value;
  m.production_id = production;
  m.role = role;
  return m;
}

class SsoServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store("sqlite::memory:").value();
    audit_ = std::make_unique<AuditLog>(audit::NoteSigner::generate("clearcut.test/audit").value());
    accounts_ = std::make_unique<AccountService>(*store_, *audit_, clock_);
    oidc::OidcConfig config{kIssuer, "clearcut", "secret",
                            "https://cc.example/api/v1/sso/callback"};
    client_ = std::make_unique<oidc::OidcClient>(config, provider_.fetch(clock_),
                                                 [this] { return clock_.now(); });
    auto tx = store_->begin().value();
    org_ = tx->accounts().create_organization({0, "Studio", "2026-01-01T00:00:00Z"}).value();
    s3_ = tx->accounts().create_production({0, org_, "s3", "S3", "2026-01-01T00:00:00Z"}).value();
    s4_ = tx->accounts().create_production({0, org_, "s4", "S4", "2026-01-01T00:00:00Z"}).value();
    ASSERT_TRUE(tx->commit().has_value());
    sso_ =
        std::make_unique<SsoService>(*store_, *audit_, clock_, *accounts_, *client_, SsoOptions{});
    admin_.user.admin = true;
    admin_.user.id = 99;
  }

  // A sign-in through the provider, as the browser would carry it.
  base::Result<SsoSignIn> sign_in(const std::string& return_to = "/#/p/1") {
    SsoStart start = sso_->start(return_to).value();
    std::string url = start.redirect_url;
    size_t at = url.find("nonce=") + 6;
    provider_.nonce = url.substr(at, url.find('&', at) - at);
    return sso_->finish("good", start.state, start.state, "127.0.0.1");
  }

  std::vector<domain::Membership> roles(int64_t user_id) {
    auto tx = store_->begin().value();
    return tx->accounts().list_memberships_of_user(user_id).value();
  }

  // What `audit verify` would say of the rows single sign-on wrote.
  std::vector<std::string> replay_differences() {
    auto tx = store_->begin().value();
    std::vector<audit::AuditEvent> events;
    std::vector<store::AuditRecord> records = tx->audit().list(0, 1000).value();
    for (const store::AuditRecord& r : records) {
      events.push_back(r.event);
    }
    std::vector<std::string> out;
    std::vector<StateDifference> differences = compare_state_with_events(events, *tx).value();
    for (const StateDifference& d : differences) {
      // The fixture's organization and productions were written without events.
      if (d.table != "organizations" && d.table != "productions") {
        out.push_back(d.to_string());
      }
    }
    return out;
  }

  TickingClock clock_;
  Provider provider_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<oidc::OidcClient> client_;
  std::unique_ptr<SsoService> sso_;
  Actor admin_;
  int64_t org_ = 0;
  int64_t s3_ = 0;
  int64_t s4_ = 0;
};

TEST_F(SsoServiceTest, AFirstSignInMakesTheAccountWithItsMappedRoles) {
  ASSERT_TRUE(sso_->add_mapping(admin_, mapping("s3-legal", s3_, Role::kLegal)).has_value());
  ASSERT_TRUE(sso_->add_mapping(admin_, mapping("everyone", s3_, Role::kPartner)).has_value());
  SsoSignIn in = sign_in().value();
  EXPECT_TRUE(in.created);
  EXPECT_EQ(in.return_to, "/#/p/1");
  EXPECT_EQ(in.login.actor.user.email, "ana@studio.example");
  EXPECT_EQ(in.login.actor.user.name, "Ana Lima");
  EXPECT_EQ(in.login.actor.user.organization_id, org_);
  EXPECT_TRUE(in.login.actor.user.password_hash.empty());
  std::vector<domain::Membership> held = roles(in.login.actor.user.id);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].production_id, s3_);
  EXPECT_EQ(held[0].role, Role::kLegal);  // the more senior of the two values she holds
  // The session works like a password one.
  EXPECT_EQ(accounts_->authenticate_session(in.login.session_secret).value().actor.user.id,
            in.login.actor.user.id);
  // The second sign-in finds the same account by (issuer, subject), even with a new e-mail.
  provider_.person["email"] = "ana.lima@studio.example";
  SsoSignIn again = sign_in().value();
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.login.actor.user.id, in.login.actor.user.id);
  EXPECT_TRUE(replay_differences().empty()) << ::testing::PrintToString(replay_differences());
}

TEST_F(SsoServiceTest, RolesFollowTheDirectoryOnMappedProductionsOnly) {
  ASSERT_TRUE(sso_->add_mapping(admin_, mapping("s3-legal", s3_, Role::kLegal)).has_value());
  SsoSignIn in = sign_in().value();
  int64_t ana = in.login.actor.user.id;
  {
    auto tx = store_->begin().value();  // an admin's own grant on an unmapped production
    ASSERT_TRUE(tx->accounts().set_membership({ana, s4_, Role::kContact}).has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }
  provider_.person["groups"] = Json::array({"everyone"});  // left the legal group
  ASSERT_TRUE(sign_in().has_value());
  std::vector<domain::Membership> held = roles(ana);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].production_id, s4_);  // untouched: no mapping there
  std::vector<std::string> differences = replay_differences();
  // The admin's grant above was made without an event; single sign-on's changes all have one.
  ASSERT_EQ(differences.size(), 1u) << ::testing::PrintToString(differences);
  EXPECT_NE(differences[0].find("memberships"), std::string::npos);
}

TEST_F(SsoServiceTest, AStateWorksOnceInTheBrowserThatStartedIt) {
  SsoStart start = sso_->start("/").value();
  size_t at = start.redirect_url.find("nonce=") + 6;
  provider_.nonce = start.redirect_url.substr(at, start.redirect_url.find('&', at) - at);
  base::Result<SsoSignIn> other_browser = sso_->finish("good", start.state, "another", "ip");
  ASSERT_FALSE(other_browser.has_value());
  EXPECT_NE(other_browser.error().message().find("another browser"), std::string::npos);
  // The state was spent by that attempt.
  base::Result<SsoSignIn> replay = sso_->finish("good", start.state, start.state, "ip");
  ASSERT_FALSE(replay.has_value());
  EXPECT_NE(replay.error().message().find("already used"), std::string::npos);
  SsoStart late = sso_->start("//evil.example").value();
  clock_.advance(std::chrono::minutes(11));
  base::Result<SsoSignIn> expired = sso_->finish("good", late.state, late.state, "ip");
  ASSERT_FALSE(expired.has_value());
  EXPECT_NE(expired.error().message().find("expired"), std::string::npos);
}

TEST_F(SsoServiceTest, AnExistingAccountIsLinkedOnlyWhenTheProviderVouchesForTheEmail) {
  NewUser local{org_, "ana@studio.example", "Ana (local)", "a long local password", false};
  domain::User existing = accounts_->create_user(nullptr, local).value();
  provider_.person["email_verified"] = false;
  base::Result<SsoSignIn> refused = sign_in();
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("does not vouch"), std::string::npos);
  provider_.person["email_verified"] = true;
  SsoSignIn linked = sign_in().value();
  EXPECT_FALSE(linked.created);
  EXPECT_EQ(linked.login.actor.user.id, existing.id);
  EXPECT_TRUE(replay_differences().empty()) << ::testing::PrintToString(replay_differences());
}

TEST_F(SsoServiceTest, ALongNameIsCutBetweenCharacters) {
  std::string name;
  for (int i = 0; i < 150; ++i) {
    name += "\xc3\xa9";  // 300 bytes of two-byte characters
  }
  name.insert(0, "x");  // so that byte 200 falls inside a character
  provider_.person["name"] = name;
  SsoSignIn in = sign_in().value();
  EXPECT_EQ(in.login.actor.user.name.size(), 199u);
  EXPECT_FALSE(base::find_invalid_utf8(in.login.actor.user.name).has_value());
}

TEST_F(SsoServiceTest, SignInsUnderWayAreBounded) {
  SsoOptions few;
  few.max_pending_logins = 3;
  SsoService bounded(*store_, *audit_, clock_, *accounts_, *client_, few);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(bounded.start("/").has_value()) << i;
  }
  base::Result<SsoStart> flood = bounded.start("/");
  ASSERT_FALSE(flood.has_value());
  EXPECT_EQ(flood.error().code(), base::ErrorCode::kUnavailable);
  clock_.advance(std::chrono::minutes(11));  // the three expire and are forgotten at the next
  EXPECT_TRUE(bounded.start("/").has_value());
}

TEST_F(SsoServiceTest, ReturnPathsStayOnThisSite) {
  EXPECT_TRUE(is_local_return_path("/#/u/3"));
  EXPECT_FALSE(is_local_return_path("//evil.example/"));
  EXPECT_FALSE(is_local_return_path("https://evil.example/"));
  EXPECT_FALSE(is_local_return_path("/\\evil.example"));
  EXPECT_FALSE(is_local_return_path(""));
}

TEST_F(SsoServiceTest, PasswordsCanBeLimitedToAdmins) {
  NewUser partner{org_, "pat@vendor.example", "Pat", "a long local password", false};
  NewUser admin{org_, "ada@studio.example", "Ada", "a long local password", true};
  ASSERT_TRUE(accounts_->create_user(nullptr, partner).has_value());
  ASSERT_TRUE(accounts_->create_user(nullptr, admin).has_value());
  accounts_->set_local_passwords(LocalPasswords::kAdmins);
  base::Result<LoginResult> pat = accounts_->login("pat@vendor.example", partner.password, "ip");
  ASSERT_FALSE(pat.has_value());
  EXPECT_EQ(pat.error().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(accounts_->login("ada@studio.example", admin.password, "ip").has_value());
  // A wrong password is still just a wrong password.
  EXPECT_EQ(accounts_->login("pat@vendor.example", "wrong", "ip").error().code(),
            base::ErrorCode::kUnauthenticated);
  // An account made by single sign-on has no password to sign in with.
  accounts_->set_local_passwords(LocalPasswords::kOn);
  SsoSignIn in = sign_in().value();
  EXPECT_EQ(accounts_->login(in.login.actor.user.email, "", "ip").error().code(),
            base::ErrorCode::kUnauthenticated);
}

TEST_F(SsoServiceTest, MappingsAreAnAdminsAndAudited) {
  Actor partner;
  partner.user.id = 5;
  EXPECT_EQ(sso_->add_mapping(partner, mapping("x", s3_, Role::kLegal)).error().code(),
            base::ErrorCode::kPermissionDenied);
  domain::SsoRoleMapping m = sso_->add_mapping(admin_, mapping("x", s3_, Role::kLegal)).value();
  EXPECT_EQ(sso_->add_mapping(admin_, mapping("x", s3_, Role::kContact)).error().code(),
            base::ErrorCode::kAlreadyExists);
  EXPECT_EQ(sso_->list_mappings(admin_).value().size(), 1u);
  EXPECT_TRUE(replay_differences().empty());
  ASSERT_TRUE(sso_->remove_mapping(admin_, m.id).has_value());
  EXPECT_EQ(sso_->remove_mapping(admin_, m.id).error().code(), base::ErrorCode::kNotFound);
  EXPECT_TRUE(sso_->list_mappings(admin_).value().empty());
  EXPECT_TRUE(replay_differences().empty());
}

}  // namespace
}  // namespace clearcut::clearance
