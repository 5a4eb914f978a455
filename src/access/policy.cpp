#include "access/policy.h"

namespace nysol::access {

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kReadCases: return "read_cases";
    case Permission::kWriteCases: return "write_cases";
    case Permission::kLeadCases: return "lead_cases";
    case Permission::kEmergencyAccess: return "emergency_access";
    case Permission::kReviewAccessLog: return "review_access_log";
    case Permission::kManageUsers: return "manage_users";
    case Permission::kReadRules: return "read_rules";
    case Permission::kRecordCommitteeDecisions: return "record_committee_decisions";
    case Permission::kRecordFirstLine: return "record_first_line";
    case Permission::kReadFollowUp: return "read_follow_up";
    case Permission::kReadMetrics: return "read_metrics";
  }
  return "unknown";
}

bool Allows(Role role, Permission permission) {
  if (!IsKnownRole(role)) return false;  // deny by default: also a role value this build does not know
  const bool handles_cases = role == Role::kCaseWorker || role == Role::kTeamLead;
  switch (permission) {
    case Permission::kReadCases:
    case Permission::kWriteCases:
    case Permission::kEmergencyAccess:
      // Case content is for those who handle cases. First-line staff work without individual case files
      // (11 kap. 5 § SoL); analysts see aggregates, the committee reports, administrators users and settings.
      return handles_cases;
    case Permission::kLeadCases:
    case Permission::kReviewAccessLog:
      return role == Role::kTeamLead;
    case Permission::kManageUsers:
    case Permission::kReadMetrics:
      return role == Role::kAdmin;
    case Permission::kReadRules:
      return true;
    case Permission::kRecordCommitteeDecisions:
      return role == Role::kCommittee;
    case Permission::kRecordFirstLine:
      return role == Role::kFirstLine;
    case Permission::kReadFollowUp:
      // Aggregates with small cells withheld: for planning and oversight (7 kap. SoL), not case work.
      return role == Role::kAnalyst || role == Role::kTeamLead || role == Role::kCommittee;
  }
  return false;
}

Reach ReachUnit(const Principal& who, std::string_view unit, bool emergency_reason_given) {
  if (!Allows(who.role, Permission::kReadCases)) return {};
  if (who.unit == unit) return {true, false};
  if (emergency_reason_given && Allows(who.role, Permission::kEmergencyAccess)) return {true, true};
  return {};
}

bool MaySeeLocatingData(const Principal& who, bool person_protected) {
  return !person_protected || who.protected_data_access;
}

}  // namespace nysol::access
