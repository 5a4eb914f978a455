// Users and API tokens: a token is 64 hex characters, shown once, stored only as its BLAKE2b-256 hash, and
// authenticates exactly its own user. Refused input (duplicate username, unknown role, missing fields)
// writes nothing.
#include "access/user_directory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "access_fixture.h"
#include "test_database.h"

namespace nysol::access {
namespace {

using testing::AccessTest;

constexpr const char* kCreated = "2026-03-02T08:00:00Z";

bool IsLowerHex(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  });
}

class UserDirectoryTest : public AccessTest {
 protected:
  void SetUp() override {
    AccessTest::SetUp();
    users_ = std::make_unique<UserDirectory>(path_);
  }
  int64_t UserCount() { return QueryInt("SELECT COUNT(*) FROM users"); }

  std::unique_ptr<UserDirectory> users_;
};

TEST(HashTokenTest, IsHexBlake2b256) {
  // Reference values from Python's hashlib.blake2b(data, digest_size=32).
  EXPECT_EQ(HashToken(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(HashToken("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(RoleTest, EveryRoleHasAStableNameThatParsesBack) {
  const std::pair<Role, const char*> roles[] = {
      {Role::kCaseWorker, "case_worker"}, {Role::kTeamLead, "team_lead"},  {Role::kFirstLine, "first_line"},
      {Role::kAnalyst, "analyst"},        {Role::kCommittee, "committee"}, {Role::kAdmin, "admin"},
  };
  for (const auto& [role, name] : roles) {
    EXPECT_EQ(RoleName(role), name);
    Role parsed = role == Role::kAdmin ? Role::kCaseWorker : Role::kAdmin;  // anything but the expected one
    ASSERT_TRUE(ParseRole(name, &parsed)) << name;
    EXPECT_EQ(parsed, role) << name;
  }
}

TEST(RoleTest, UnknownRoleTextIsRefusedAndLeavesTheRoleAlone) {
  for (const char* text :
       {"", "superuser", "Admin", "ADMIN", "admin ", " case_worker", "case-worker", "root"}) {
    Role role = Role::kAnalyst;
    EXPECT_FALSE(ParseRole(text, &role)) << "'" << text << "'";
    EXPECT_EQ(role, Role::kAnalyst) << "'" << text << "'";
  }
}

TEST_F(UserDirectoryTest, TokenIs64LowerHexAndAuthenticatesItsUser) {
  auto token = users_->AddUser("anna", "Anna Berg", "utredning-barn", Role::kTeamLead, kCreated);
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->size(), 64u);
  EXPECT_TRUE(IsLowerHex(*token)) << *token;

  auto who = users_->Authenticate(*token);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->username, "anna");
  EXPECT_EQ(who->display_name, "Anna Berg");
  EXPECT_EQ(who->unit, "utredning-barn");
  EXPECT_EQ(who->role, Role::kTeamLead);
  EXPECT_EQ(who->user_id, QueryInt("SELECT id FROM users WHERE username = 'anna'"));
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM users WHERE username = 'anna' AND role = 'team_lead' AND "
                        "created_at = '2026-03-02T08:00:00Z'"));
}

TEST_F(UserDirectoryTest, EachTokenAuthenticatesOnlyItsOwnUser) {
  auto anna = users_->AddUser("anna", "Anna Berg", "utredning-barn", Role::kCaseWorker, kCreated);
  auto sara = users_->AddUser("sara", "Sara Nyström", "stab", Role::kAnalyst, kCreated);
  ASSERT_TRUE(anna.ok());
  ASSERT_TRUE(sara.ok());
  EXPECT_NE(*anna, *sara);  // random, not derived from the user
  auto who_anna = users_->Authenticate(*anna);
  auto who_sara = users_->Authenticate(*sara);
  ASSERT_TRUE(who_anna.has_value());
  ASSERT_TRUE(who_sara.has_value());
  EXPECT_EQ(who_anna->username, "anna");
  EXPECT_EQ(who_anna->role, Role::kCaseWorker);
  EXPECT_EQ(who_sara->username, "sara");
  EXPECT_EQ(who_sara->unit, "stab");
  EXPECT_EQ(who_sara->role, Role::kAnalyst);
  EXPECT_NE(who_anna->user_id, who_sara->user_id);
}

TEST_F(UserDirectoryTest, WrongShortLongAndEmptyTokensDoNotAuthenticate) {
  auto token = users_->AddUser("anna", "Anna Berg", "utredning-barn", Role::kCaseWorker, kCreated);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(users_->Authenticate(*token).has_value());

  std::string wrong = *token;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';  // one character off
  std::string last_wrong = *token;
  last_wrong.back() = last_wrong.back() == '0' ? '1' : '0';
  std::string upper = *token;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  const std::string rejected[] = {
      wrong,
      last_wrong,
      token->substr(0, 63),    // short
      token->substr(0, 32),    // half
      *token + "0",            // long
      *token + "\n",           // trailing newline from a copy-paste
      " " + token->substr(1),  // 64 characters, but not the token
      "",                      // empty
      std::string(64, '0'),
      HashToken(*token),  // what the database holds is not a credential
  };
  for (const auto& candidate : rejected) {
    EXPECT_FALSE(users_->Authenticate(candidate).has_value()) << "'" << candidate << "'";
  }
  if (upper != *token) {  // a token without letters is possible, if unlikely
    EXPECT_FALSE(users_->Authenticate(upper).has_value()) << upper;
  }
  // Still works after the failures: no lockout, no state.
  EXPECT_TRUE(users_->Authenticate(*token).has_value());
}

TEST_F(UserDirectoryTest, TheTokenItselfIsNeverStored) {
  auto token = users_->AddUser("anna", "Anna Berg", "utredning-barn", Role::kCaseWorker, kCreated);
  ASSERT_TRUE(token.ok());
  if (db_->engine() == store::Engine::kSqlite) db_->Exec("PRAGMA wal_checkpoint(PASSIVE)");

  // The users table holds the hash, and no column of any row contains the token.
  auto& st = db_->Prepare("SELECT token_hash FROM users WHERE username = 'anna'");
  ASSERT_TRUE(st.Step());
  std::string stored = st.Text(0);
  st.Reset();
  EXPECT_EQ(stored, HashToken(*token));
  EXPECT_NE(stored, *token);
  auto& all = db_->Prepare("SELECT * FROM users");
  int rows = 0;
  while (all.Step()) {
    ++rows;
    for (int col = 0; col < all.ColumnCount(); ++col) {
      auto text = all.OptText(col);
      if (text) {
        EXPECT_EQ(text->find(*token), std::string::npos) << all.ColumnName(col);
      }
    }
  }
  all.Reset();
  EXPECT_EQ(rows, 1);
  // Nor anywhere in the file or its write-ahead log, in any table. (The hash is, as a check that the search
  // looks in the right place.)
  std::string bytes = FileBytes();
  EXPECT_EQ(bytes.find(*token), std::string::npos);
  EXPECT_NE(bytes.find(stored), std::string::npos);
}

TEST_F(UserDirectoryTest, DuplicateUsernameIsAConflictAndWritesNothing) {
  auto first = users_->AddUser("anna", "Anna Berg", "utredning-barn", Role::kCaseWorker, kCreated);
  ASSERT_TRUE(first.ok());
  auto second = users_->AddUser("anna", "Anna Andersson", "vuxen", Role::kAdmin, "2026-03-03T08:00:00Z");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kConflict);
  EXPECT_NE(second.status().message().find("anna"), std::string::npos) << second.status().message();
  EXPECT_NE(second.status().message().find("exists"), std::string::npos) << second.status().message();

  EXPECT_EQ(UserCount(), 1);
  auto who = users_->Authenticate(*first);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->display_name, "Anna Berg");  // the first user is untouched
  EXPECT_EQ(who->unit, "utredning-barn");
  EXPECT_EQ(who->role, Role::kCaseWorker);
}

// A Role value outside the enumeration (a cast from a bad integer, a newer build's role) must not be stored
// as some other role: deny by default.
TEST_F(UserDirectoryTest, UnknownRoleIsRefusedAndWritesNothing) {
  auto token = users_->AddUser("mallory", "Mallory", "utredning-barn", static_cast<Role>(42), kCreated);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE username = 'mallory'"), 0)
      << "an unknown role was stored as a known one";
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(token.status().message().find("role"), std::string::npos) << token.status().message();
}

// A user whose stored role this build does not know (a manual edit, a downgrade) is not let in as anyone.
TEST_F(UserDirectoryTest, StoredUnknownRoleDoesNotAuthenticate) {
  auto token = users_->AddUser("erik", "Erik Sand", "utredning-barn", Role::kFirstLine, kCreated);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(users_->Authenticate(*token).has_value());
  db_->Exec("UPDATE users SET role = 'superuser' WHERE username = 'erik'");
  EXPECT_FALSE(users_->Authenticate(*token).has_value());
  db_->Exec("UPDATE users SET role = 'first_line' WHERE username = 'erik'");
  EXPECT_TRUE(users_->Authenticate(*token).has_value());
}

TEST_F(UserDirectoryTest, InvalidFieldsAreRefusedAndWriteNothing) {
  struct Case {
    std::string username, display_name, unit;
  };
  const Case refused[] = {
      {"", "Anna Berg", "utredning-barn"},
      {"anna berg", "Anna Berg", "utredning-barn"},
      {"anna\tberg", "Anna Berg", "utredning-barn"},
      {"anna\n", "Anna Berg", "utredning-barn"},
      {std::string(65, 'a'), "Anna Berg", "utredning-barn"},
      {"anna", "", "utredning-barn"},
      {"anna", "Anna Berg", ""},
      {"anna", "Anna Berg", "barn-och-unga"},  // no such unit: units are the municipality's own list
  };
  for (const auto& c : refused) {
    auto token = users_->AddUser(c.username, c.display_name, c.unit, Role::kCaseWorker, kCreated);
    ASSERT_FALSE(token.ok()) << "'" << c.username << "' '" << c.display_name << "' '" << c.unit << "'";
    EXPECT_EQ(token.status().code(), ErrorCode::kInvalidInput);
    EXPECT_FALSE(token.status().message().empty());
  }
  EXPECT_EQ(UserCount(), 0);
  // The limits are inclusive: 64 characters is accepted.
  auto longest = users_->AddUser(std::string(64, 'a'), "A", "vuxen", Role::kCaseWorker, kCreated);
  EXPECT_TRUE(longest.ok()) << longest.status().message();
  EXPECT_EQ(UserCount(), 1);
}

TEST_F(UserDirectoryTest, ProtectedDataAccessIsExplicitAndFound) {
  ASSERT_TRUE(users_->AddUser("anna", "Anna Berg", "vuxen", Role::kCaseWorker, kCreated).ok());
  EXPECT_FALSE(users_->FindUser("anna")->protected_data_access);
  ASSERT_TRUE(users_->SetProtectedDataAccess("anna", true).ok());
  EXPECT_TRUE(users_->FindUser("anna")->protected_data_access);
  EXPECT_EQ(users_->SetProtectedDataAccess("nobody", true).code(), ErrorCode::kNotFound);
  EXPECT_FALSE(users_->FindUser("nobody").has_value());
}

TEST_F(UserDirectoryTest, TheDefaultUnitsAreThere) {
  std::vector<std::string> codes;
  for (const auto& unit : users_->Units()) codes.push_back(unit.code);
  for (const char* code : {"mottagning-barn", "utredning-barn", "vuxen", "forsta-linjen", "ekonomiskt-bistand"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
    EXPECT_TRUE(users_->UnitExists(code));
  }
  EXPECT_FALSE(users_->UnitExists("barn-och-unga"));
}

}  // namespace
}  // namespace nysol::access
