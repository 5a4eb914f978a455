// The policy, role by role and permission by permission: case content (read and write) for those who handle
// cases — case workers, team leads and intake; the rulebook for everyone; nothing else. Deny by default: a
// role or permission the policy does not know gets nothing.
#include "access/policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace nysol::access {
namespace {

const Role kAllRoles[] = {Role::kCaseWorker, Role::kTeamLead,  Role::kIntake,
                          Role::kAnalyst,    Role::kCommittee, Role::kAdmin};
const Permission kAllPermissions[] = {Permission::kReadCases, Permission::kWriteCases,
                                      Permission::kReadRules};

// What policy.h/.cpp promise, written out as a table a reader can check against the code's comments.
const std::map<std::string, std::set<std::string>>& ExpectedGrants() {
  static const std::map<std::string, std::set<std::string>> grants = {
      {"case_worker", {"read_cases", "write_cases", "read_rules"}},
      {"team_lead", {"read_cases", "write_cases", "read_rules"}},
      {"intake", {"read_cases", "write_cases", "read_rules"}},
      {"analyst", {"read_rules"}},
      {"committee", {"read_rules"}},
      {"admin", {"read_rules"}},
  };
  return grants;
}

TEST(PolicyTest, PermissionsHaveStableNames) {
  EXPECT_EQ(PermissionName(Permission::kReadCases), "read_cases");
  EXPECT_EQ(PermissionName(Permission::kWriteCases), "write_cases");
  EXPECT_EQ(PermissionName(Permission::kReadRules), "read_rules");
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
  EXPECT_EQ(may_read, 3);
  EXPECT_FALSE(Allows(Role::kAdmin, Permission::kReadCases));    // administrators run the system, not cases
  EXPECT_FALSE(Allows(Role::kAnalyst, Permission::kReadCases));  // analysts see aggregates only
}

TEST(PolicyTest, AnUnknownPermissionIsDeniedToEveryRole) {
  for (int value : {-1, 3, 4, 42, 1000}) {
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

}  // namespace
}  // namespace nysol::access
