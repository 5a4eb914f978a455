// The policy: which role may do what, and which unit's case content a user may reach. Deny by default — a
// permission not granted here is refused, and so is a role value this build does not know.
#pragma once

#include <string>
#include <string_view>

#include "access/user_directory.h"

namespace nysol::access {

enum class Permission {
  kReadCases,        // read persons, matters and reports (personal data) of one's own unit
  kWriteCases,       // register reports and applications, take steps in matters of one's own unit
  kLeadCases,        // assign and transfer matters, mark protected identity (team leads)
  kEmergencyAccess,  // reach one matter outside one's unit, with a stated reason, flagged for review
  kReviewAccessLog,  // review the access log and its anomalies, make extracts for individuals
  kManageUsers,      // list users and units (administrators; no case content)
  kReadRules,        // read the rulebook, code lists and the intervention catalog
  kRecordCommitteeDecisions,  // record the committee's decisions (11 kap. 5 § SoL): the committee's role
  kRecordFirstLine,           // register first-line participation (11 kap. 5 § SoL): first-line staff
  kReadFollowUp,              // follow-up measures, aggregated and suppressed: analysts, team leads, the committee
  kReadMetrics,               // the server's monitoring figures (GET /metrics): administrators; no personal data
};
std::string_view PermissionName(Permission permission);

bool Allows(Role role, Permission permission);

// Inner confidentiality between units (26 kap. 1 § OSL): case content stays within the unit that handles the
// matter. A user outside it reaches it only by emergency access, which needs the permission and a reason.
struct Reach {
  bool allowed = false;
  bool outside_unit = false;  // allowed only because of emergency access
};
Reach ReachUnit(const Principal& who, std::string_view unit, bool emergency_reason_given);

// Address and other locating data of a person with protected identity are shown only to users explicitly
// authorised; everyone else sees that the person is protected and nothing that locates them.
bool MaySeeLocatingData(const Principal& who, bool person_protected);

}  // namespace nysol::access
