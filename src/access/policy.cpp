#include "access/policy.h"

namespace nysol::access {

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kReadCases: return "read_cases";
    case Permission::kWriteCases: return "write_cases";
    case Permission::kReadRules: return "read_rules";
  }
  return "unknown";
}

bool Allows(Role role, Permission permission) {
  if (!IsKnownRole(role)) return false;  // deny by default: also a role value this build does not know
  switch (permission) {
    case Permission::kReadCases:
    case Permission::kWriteCases:
      // Case content is for those who handle cases; analysts, the committee and administrators see none.
      return role == Role::kCaseWorker || role == Role::kTeamLead || role == Role::kIntake;
    case Permission::kReadRules:
      return true;
  }
  return false;
}

}  // namespace nysol::access
