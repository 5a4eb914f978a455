// The policy: which role may do what. Deny by default — a permission not granted here is refused.
// Inner confidentiality between units and protected identity come with the access-control issue.
#pragma once

#include <string_view>

#include "access/user_directory.h"

namespace nysol::access {

enum class Permission {
  kReadCases,   // read persons, matters and reports (personal data)
  kWriteCases,  // register reports and applications, take steps in matters
  kReadRules,   // read the rulebook and code lists
};
std::string_view PermissionName(Permission permission);

bool Allows(Role role, Permission permission);

}  // namespace nysol::access
