#pragma once

#include <string>
#include <vector>

#include "clearcut/app/service.h"
#include "clearcut/base/result.h"

namespace clearcut::app {

struct DemoAccount {
  std::string email;
  std::string role;  // what the account is for: admin, partner, contact, legal, ...
};

struct DemoInfo {
  bool seeded = false;  // false: the database already had users; nothing was added
  std::string password;
  std::vector<DemoAccount> accounts;
};

inline constexpr std::string_view kDemoPassword = "clearcut-demo";

// Seeds an empty database with a studio, a vendor, two productions, one user per role (and a
// partner of another production), and use cases in every state, made through the services so
// that the audit log records them like any other change. Does nothing on a database that has
// users already.
base::Result<DemoInfo> seed_demo(Service& service);

}  // namespace clearcut::app
