#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/domain/account.h"

namespace clearcut::clearance {

// Who is acting, with the roles they hold, resolved once per request by authentication.
struct Actor {
  domain::User user;
  std::vector<domain::Membership> memberships;

  bool admin() const { return user.admin; }
  bool has_role(int64_t production_id, domain::Role role) const {
    for (const auto& m : memberships) {
      if (m.production_id == production_id && m.role == role) {
        return true;
      }
    }
    return false;
  }
  bool member_of(int64_t production_id) const {
    for (const auto& m : memberships) {
      if (m.production_id == production_id) {
        return true;
      }
    }
    return false;
  }
  // "user:12" — how the audit log names the actor.
  std::string audit_name() const { return "user:" + std::to_string(user.id); }
};

}  // namespace clearcut::clearance
