// Users, their unit and role, and API tokens. A token is shown once when created and stored only as a hash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/db.h"

namespace nysol::access {

enum class Role { kCaseWorker, kTeamLead, kFirstLine, kAnalyst, kCommittee, kAdmin };
std::string_view RoleName(Role role);  // case_worker | team_lead | first_line | analyst | committee | admin
bool ParseRole(std::string_view text, Role* role);
bool IsKnownRole(Role role);  // one of the six above; any other value (a cast, a newer build's role) is not

struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string unit;
  Role role = Role::kCaseWorker;
  bool protected_data_access = false;  // explicitly authorised to see locating data of protected persons
};

struct Unit {
  std::string code;
  std::string name_sv;
};

class UserDirectory {
 public:
  explicit UserDirectory(std::string db_path) : db_path_(std::move(db_path)) {}

  // Creates a user and returns its API token (64 hex characters). kConflict when the username is taken.
  Result<std::string> AddUser(std::string_view username, std::string_view display_name, std::string_view unit,
                              Role role, std::string_view created_at);
  // Explicit authorisation to see locating data of persons with protected identity (skyddade personuppgifter).
  Status SetProtectedDataAccess(std::string_view username, bool allowed);
  // The user called `username`, or nullopt.
  std::optional<Principal> FindUser(std::string_view username);
  std::vector<Unit> Units();
  std::vector<Principal> Users();  // by username
  // Adds a unit: code 2–40 characters a–z, 0–9 and '-'; kConflict when it exists.
  Status AddUnit(std::string_view code, std::string_view name_sv);
  bool UnitExists(std::string_view code);
  // The user holding `token`, or nullopt. Compares hashes, so timing reveals nothing about stored tokens.
  std::optional<Principal> Authenticate(std::string_view token);

 private:
  std::string db_path_;
};

// The token's hash as stored (hex BLAKE2b-256).
std::string HashToken(std::string_view token);

}  // namespace nysol::access
