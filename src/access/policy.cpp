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

namespace {

bool KnownRole(Role role) {
  switch (role) {
    case Role::kCaseWorker:
    case Role::kTeamLead:
    case Role::kIntake:
    case Role::kAnalyst:
    case Role::kCommittee:
    case Role::kAdmin:
      return true;
  }
  return false;
}

}  // namespace

bool Allows(Role role, Permission permission) {
  if (!KnownRole(role)) return false;  // deny by default: also a role value this build does not know
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
