// The policy, role by role and permission by permission: case content (read, write, emergency access) for
// those who handle cases — case workers and team leads; distributing work and reviewing the access log for
// team leads; users for administrators; the rulebook for everyone; follow-up aggregates for analysts, team
// leads and the committee; nothing else. Deny by default: a role or
// permission the policy does not know gets nothing. Then inner confidentiality between units, unit by unit.
#include "access/policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace nysol::access {
namespace {

const Role kAllRoles[] = {Role::kCaseWorker, Role::kTeamLead,  Role::kFirstLine,
                          Role::kAnalyst,    Role::kCommittee, Role::kAdmin};
const Permission kAllPermissions[] = {Permission::kReadCases,       Permission::kWriteCases,
                                      Permission::kLeadCases,       Permission::kEmergencyAccess,
                                      Permission::kReviewAccessLog, Permission::kManageUsers,
                                      Permission::kReadRules,       Permission::kRecordCommitteeDecisions,
                                      Permission::kRecordFirstLine, Permission::kReadFollowUp,
                                      Permission::kReadMetrics};

// What policy.h/.cpp promise, written out as a table a reader can check against the code's comments.
const std::map<std::string, std::set<std::string>>& ExpectedGrants() {
  static const std::map<std::string, std::set<std::string>> grants = {
      {"case_worker", {"read_cases", "write_cases", "emergency_access", "read_rules"}},
      {"team_lead",
       {"read_cases", "write_cases", "emergency_access", "lead_cases", "review_access_log", "read_rules",
        "read_follow_up"}},
      {"first_line", {"read_rules", "record_first_line"}},
      {"analyst", {"read_rules", "read_follow_up"}},
      {"committee", {"read_rules", "record_committee_decisions", "read_follow_up"}},
      {"admin", {"manage_users", "read_rules", "read_metrics"}},
  };
  return grants;
}

TEST(PolicyTest, PermissionsHaveStableNames) {
  EXPECT_EQ(PermissionName(Permission::kReadCases), "read_cases");
  EXPECT_EQ(PermissionName(Permission::kWriteCases), "write_cases");
  EXPECT_EQ(PermissionName(Permission::kLeadCases), "lead_cases");
  EXPECT_EQ(PermissionName(Permission::kEmergencyAccess), "emergency_access");
  EXPECT_EQ(PermissionName(Permission::kReviewAccessLog), "review_access_log");
  EXPECT_EQ(PermissionName(Permission::kManageUsers), "manage_users");
  EXPECT_EQ(PermissionName(Permission::kReadRules), "read_rules");
  EXPECT_EQ(PermissionName(Permission::kReadFollowUp), "read_follow_up");
  EXPECT_EQ(PermissionName(Permission::kReadMetrics), "read_metrics");
}

TEST(PolicyTest, EveryRoleGetsExactlyWhatThePolicySays) {
  ASSERT_EQ(ExpectedGrants().size(), std::size(kAllRoles));  // the table covers every role
  for (Role role : kAllRoles) {
    auto expected = ExpectedGrants().find(std::string(RoleName(role)));
    ASSERT_NE(expected, ExpectedGrants().end()) << RoleName(role);
    std::set<std::string> granted;
    for (Permission permission : kAllPermissions) {
      if (Allows(role, permission)) granted.insert(std::string(PermissionName(permission)));
    }
    EXPECT_EQ(granted, expected->second) << RoleName(role);
  }
}

TEST(PolicyTest, OnlyCaseHandlersSeePersonalData) {
  int may_read = 0;
  for (Role role : kAllRoles) {
    // Writing without reading would make no sense; reading without writing is not granted either today.
    EXPECT_EQ(Allows(role, Permission::kReadCases), Allows(role, Permission::kWriteCases)) << RoleName(role);
    may_read += Allows(role, Permission::kReadCases) ? 1 : 0;
  }
  EXPECT_EQ(may_read, 2);
  EXPECT_FALSE(Allows(Role::kAdmin, Permission::kReadCases));    // administrators run the system, not cases
  EXPECT_FALSE(Allows(Role::kAnalyst, Permission::kReadCases));  // analysts see aggregates only
}

TEST(PolicyTest, AnUnknownPermissionIsDeniedToEveryRole) {
  const int last = static_cast<int>(Permission::kReadMetrics);  // the last one the enum names
  for (int value : {-1, last + 1, last + 2, 42, 1000}) {
    for (Role role : kAllRoles) {
      EXPECT_FALSE(Allows(role, static_cast<Permission>(value))) << RoleName(role) << " permission " << value;
    }
    EXPECT_EQ(PermissionName(static_cast<Permission>(value)), "unknown");
  }
}

// A Role value outside the enumeration (a cast from a bad integer, a newer build's role) gets nothing, not
// even the rulebook: deny by default.
TEST(PolicyTest, AnUnknownRoleIsDeniedEveryPermission) {
  for (int value : {-1, 6, 7, 42, 1000}) {
    for (Permission permission : kAllPermissions) {
      EXPECT_FALSE(Allows(static_cast<Role>(value), permission))
          << "role " << value << " permission " << PermissionName(permission);
    }
  }
}

Principal User(Role role, const char* unit, bool protected_access = false) {
  Principal p;
  p.username = "u";
  p.unit = unit;
  p.role = role;
  p.protected_data_access = protected_access;
  return p;
}

// 26 kap. OSL: one's own unit freely; another unit only by emergency access, and only for those who handle
// cases; for everyone else not even with a reason.
TEST(ReachTest, OwnUnitOtherUnitAndEmergencyForEveryRole) {
  for (Role role : kAllRoles) {
    bool handles = role == Role::kCaseWorker || role == Role::kTeamLead;
    auto user = User(role, "utredning-barn");
    auto own = ReachUnit(user, "utredning-barn", false);
    EXPECT_EQ(own.allowed, handles) << RoleName(role);
    EXPECT_FALSE(own.outside_unit);
    auto other = ReachUnit(user, "vuxen", false);
    EXPECT_FALSE(other.allowed) << RoleName(role);
    auto emergency = ReachUnit(user, "vuxen", true);
    EXPECT_EQ(emergency.allowed, handles) << RoleName(role);
    EXPECT_EQ(emergency.outside_unit, handles) << RoleName(role);
    // A reason changes nothing inside one's own unit: it is not emergency access there.
    EXPECT_FALSE(ReachUnit(user, "utredning-barn", true).outside_unit) << RoleName(role);
  }
}

TEST(ReachTest, AnUnknownRoleReachesNoUnit) {
  auto user = User(static_cast<Role>(42), "vuxen");
  EXPECT_FALSE(ReachUnit(user, "vuxen", false).allowed);
  EXPECT_FALSE(ReachUnit(user, "vuxen", true).allowed);
}

TEST(ProtectedIdentityTest, LocatingDataOnlyForTheExplicitlyAuthorised) {
  EXPECT_TRUE(MaySeeLocatingData(User(Role::kCaseWorker, "vuxen"), false));
  EXPECT_FALSE(MaySeeLocatingData(User(Role::kCaseWorker, "vuxen"), true));
  EXPECT_FALSE(MaySeeLocatingData(User(Role::kTeamLead, "vuxen"), true));  // rank does not authorise
  EXPECT_TRUE(MaySeeLocatingData(User(Role::kCaseWorker, "vuxen", true), true));
}

}  // namespace
}  // namespace nysol::access
