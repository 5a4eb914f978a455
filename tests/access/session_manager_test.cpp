// Logins, the lockout and sessions, with a clock the tests move: the lockout starts at the fifth failure in a
// row, doubles with each further failure up to an hour and is lifted by a success; an unknown username is
// answered and locked exactly like a known one; sessions end after 30 minutes unused or 10 hours after login,
// and are removed with old failure counts 90 days later; only hashes of session tokens and passwords reach
// the database.
#include "access/session_manager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "access_fixture.h"
#include "test_database.h"

namespace nysol::access {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;
using testing::AccessTest;

constexpr const char* kPassword = "rätt lösenord för anna";
constexpr const char* kWrong = "fel lösenord för anna!";

SessionSettings TestSettings() {
  SessionSettings settings;
  settings.password_cost = kTestPasswordCost;
  return settings;
}

class SessionManagerTest : public AccessTest {
 protected:
  void SetUp() override {
    AccessTest::SetUp();
    // Written directly: what the directory checks when adding users (units and so on) is not under test here.
    db_->Exec(
        "INSERT INTO users (username, display_name, unit, role, created_at) VALUES "
        "('anna', 'Anna Berg', 'utredning-barn', 'case_worker', '2026-03-02T08:00:00Z'), "
        "('sara', 'Sara Nyström', 'utredning-barn', 'team_lead', '2026-03-02T08:00:00Z'), "
        "('erik', 'Erik Sand', 'utredning-barn', 'case_worker', '2026-03-02T08:00:00Z')");
    users_ = std::make_unique<UserDirectory>(path_);
    sessions_ = std::make_unique<SessionManager>(path_, *users_, clock_, TestSettings());
    ASSERT_TRUE(sessions_->SetPassword("anna", kPassword).ok());
    ASSERT_TRUE(sessions_->SetPassword("sara", "saras eget lösenord").ok());
  }

  void Advance(seconds by) { clock_.Set(clock_.Now() + by); }

  // Logs in and returns the status code; `*retry_after` when locked.
  ErrorCode TryLogin(const std::string& username, const std::string& password,
                     seconds* retry_after = nullptr) {
    seconds wait{-1};
    auto login = sessions_->Login(username, password, &wait);
    if (retry_after) *retry_after = wait;
    return login.ok() ? ErrorCode::kOk : login.status().code();
  }

  void Fail(int times, const std::string& username = "anna") {
    for (int i = 0; i < times; ++i) ASSERT_EQ(TryLogin(username, kWrong), ErrorCode::kUnauthenticated) << i;
  }

  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + 8h};
  std::unique_ptr<UserDirectory> users_;
  std::unique_ptr<SessionManager> sessions_;
};

// ---------------------------------------------------------------------------------------------------------
// Logging in

TEST_F(SessionManagerTest, RightPasswordStartsASessionStoredOnlyAsAHash) {
  auto login = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(login.ok()) << login.status().message();
  EXPECT_EQ(login->token.size(), 64u);
  EXPECT_EQ(login->session.csrf_token.size(), 64u);
  EXPECT_NE(login->token, login->session.csrf_token);
  EXPECT_EQ(login->session.principal.username, "anna");
  EXPECT_EQ(login->session.principal.display_name, "Anna Berg");
  EXPECT_EQ(login->session.principal.role, Role::kCaseWorker);
  EXPECT_EQ(login->session.created_at, "2026-03-02T08:00:00Z");
  EXPECT_EQ(login->session.expires_at, "2026-03-02T18:00:00Z");
  EXPECT_EQ(login->session.idle_expires_at, "2026-03-02T08:30:00Z");

  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM sessions WHERE token_hash = '" + HashToken(login->token) +
                        "' AND csrf_token = '" + login->session.csrf_token +
                        "' AND ended_at IS NULL AND "
                        "created_at = '2026-03-02T08:00:00Z' AND last_seen_at = created_at AND "
                        "expires_at = '2026-03-02T18:00:00Z' AND user_id = (SELECT id FROM users WHERE "
                        "username = 'anna')"));
  if (db_->engine() == store::Engine::kSqlite) db_->Exec("PRAGMA wal_checkpoint(PASSIVE)");
  std::string bytes = FileBytes();
  EXPECT_EQ(bytes.find(login->token), std::string::npos) << "the session token is in the database";
  EXPECT_EQ(bytes.find(kPassword), std::string::npos) << "the password is in the database";
  EXPECT_NE(bytes.find(HashToken(login->token)), std::string::npos);  // the search looks in the right place

  auto again = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->token, login->token);
  EXPECT_NE(again->session.csrf_token, login->session.csrf_token);
}

TEST_F(SessionManagerTest, WrongPasswordUnknownUserAndUserWithoutPasswordGetTheSameAnswer) {
  auto wrong = sessions_->Login("anna", kWrong);
  auto unknown = sessions_->Login("nobody", kWrong);
  auto no_password = sessions_->Login("erik", kWrong);
  auto empty_hash_guess = sessions_->Login("erik", "");  // refused as input, before any lookup
  for (const auto* refused : {&wrong, &unknown, &no_password}) {
    ASSERT_FALSE(refused->ok());
    EXPECT_EQ(refused->status().code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(refused->status().message(), wrong.status().message());
  }
  EXPECT_EQ(wrong.status().message(), "the username or password is wrong");
  EXPECT_EQ(empty_hash_guess.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sessions"), 0);
  // Every refused name counts, real or not.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures WHERE consecutive = 1 AND username IN ('anna', "
                     "'nobody', 'erik')"),
            3);
}

// The decoy hash: a name with no hash behind it still costs one Argon2id verification, so an attacker cannot
// time the answer to learn which usernames exist.
TEST_F(SessionManagerTest, UnknownUserTakesAsLongAsAWrongPassword) {
  SessionSettings settings;  // the real cost: the difference to measure is then ~0.1 s against ~0
  auto sessions = std::make_unique<SessionManager>(path_, *users_, clock_, settings);
  ASSERT_TRUE(sessions->SetPassword("sara", "saras eget lösenord").ok());
  auto fastest = [&](const char* username) {
    auto best = std::chrono::steady_clock::duration::max();
    for (int i = 0; i < 3; ++i) {
      auto started = std::chrono::steady_clock::now();
      EXPECT_FALSE(sessions->Login(username, "inte saras lösenord").ok());
      best = std::min(best, std::chrono::steady_clock::now() - started);
    }
    return std::chrono::duration<double>(best).count();
  };
  double known = fastest("sara");
  double unknown = fastest("nobody");
  double without_password = fastest("erik");
  EXPECT_GT(known, 0.005) << "the known user's check took no time: not Argon2id at the interactive cost?";
  EXPECT_GT(unknown, known * 0.3) << "unknown " << unknown << " s, known " << known << " s";
  EXPECT_GT(without_password, known * 0.3)
      << "no password " << without_password << " s, known " << known << " s";
}

TEST_F(SessionManagerTest, InputThatCannotBeValidIsRefusedAndCountsNothing) {
  const std::pair<std::string, std::string> refused[] = {
      {"", kPassword},
      {"anna berg", kPassword},
      {std::string(65, 'a'), kPassword},
      {"anna", ""},
      {"anna", std::string(kMaxPasswordBytes + 1, 'a')},
  };
  for (const auto& [username, password] : refused) {
    auto login = sessions_->Login(username, password);
    ASSERT_FALSE(login.ok()) << username;
    EXPECT_EQ(login.status().code(), ErrorCode::kInvalidInput) << username;
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_F(SessionManagerTest, ALoginRemovesSessionsAndFailuresOlderThanNinetyDays) {
  auto first = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(sessions_->End(first->session.id).ok());
  Advance(10h);             // the first session's absolute limit
  Fail(2, "erik");          // erik has no password: failures all the same
  Fail(1, "no.such.user");  // and so has a name nobody has
  Advance(24h * 90);        // that limit and those failures are now exactly 90 days ago
  Fail(1, "erik");          // erik's count goes on
  auto second = sessions_->Login("sara", "saras eget lösenord");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sessions"), 2) << "a session is kept for 90 days after its limit";
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures"), 2);

  Advance(1s);
  auto third = sessions_->Login("sara", "saras eget lösenord");
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_EQ(QueryInt(fmt::format("SELECT COUNT(*) FROM sessions WHERE id = {}", first->session.id)), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sessions"), 2) << "sara's two sessions stay";
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures WHERE username = 'no.such.user'"), 0);
  EXPECT_EQ(QueryInt("SELECT consecutive FROM login_failures WHERE username = 'erik'"), 3);
  ASSERT_TRUE(sessions_->Resume(third->token).ok());
}

TEST_F(SessionManagerTest, ALoginNeverRemovesARunningLockWhateverTheSetting) {
  SessionSettings settings = TestSettings();
  settings.kept_for = seconds{0};  // shorter than any lock
  SessionManager sessions(path_, *users_, clock_, settings);
  Fail(5, "erik");  // locked for a minute
  Advance(30s);
  ASSERT_TRUE(sessions.Login("anna", kPassword).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures WHERE username = 'erik'"), 1)
      << "the lock still runs";
  Advance(31s);
  ASSERT_TRUE(sessions.Login("anna", kPassword).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures WHERE username = 'erik'"), 0)
      << "the lock has run out";
}

TEST_F(SessionManagerTest, ALoginRehashesAWeakerStoredHashAtTheCurrentCost) {
  // Stored at the least cost; the manager's settings ask for more, so a successful login rehashes.
  SessionSettings stronger = TestSettings();
  stronger.password_cost = {2, 16u << 10};
  SessionManager upgraded(path_, *users_, clock_, stronger);
  ASSERT_TRUE(upgraded.Login("anna", kPassword).ok());
  auto& st = db_->Prepare("SELECT password_hash FROM users WHERE username = 'anna'");
  ASSERT_TRUE(st.Step());
  std::string stored = st.Text(0);
  st.Reset();
  EXPECT_EQ(stored.rfind("$argon2id$v=19$m=16,t=2,p=1$", 0), 0u) << stored;
  EXPECT_TRUE(upgraded.Login("anna", kPassword).ok());
}

// ---------------------------------------------------------------------------------------------------------
// The lockout

TEST(LockoutAfterTest, StartsAtTheFifthFailureAndDoublesUpToAnHour) {
  SessionSettings settings;
  const std::pair<int64_t, int64_t> expected[] = {
      {0, 0},   {1, 0},     {4, 0},     {5, 60},    {6, 120},    {7, 240},          {8, 480},
      {9, 960}, {10, 1920}, {11, 3600}, {12, 3600}, {100, 3600}, {1LL << 40, 3600},
  };
  for (const auto& [failures, lock] : expected) {
    EXPECT_EQ(LockoutAfter(failures, settings).count(), lock) << failures << " failures";
  }
}

TEST_F(SessionManagerTest, FourFailuresDoNotLockAndASuccessStartsTheCountAgain) {
  Fail(4);
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kOk);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures WHERE username = 'anna'"), 0);
  Fail(4);  // four more are again below the threshold …
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kOk);
  Fail(5);  // … and five lock
  seconds wait{};
  EXPECT_EQ(TryLogin("anna", kPassword, &wait), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(wait, 60s);
}

TEST_F(SessionManagerTest, FifthFailureLocksForOneMinuteEvenForTheRightPassword) {
  Fail(5);
  seconds wait{};
  auto locked = sessions_->Login("anna", kPassword, &wait);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(locked.status().message(), "too many failed logins; try again in 1 minute");
  EXPECT_EQ(wait, 60s);
  Advance(59s);
  EXPECT_EQ(TryLogin("anna", kPassword, &wait), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(wait, 1s);
  Advance(1s);
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kOk);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sessions"), 1);  // only the one after the lock
}

TEST_F(SessionManagerTest, EachFailureAfterALockDoublesItUpToOneHour) {
  Fail(5);
  seconds lock = 60s;
  for (int failures = 6; failures <= 13; ++failures) {
    Advance(lock);  // the previous lock has just run out
    ASSERT_EQ(TryLogin("anna", kWrong), ErrorCode::kUnauthenticated) << failures;
    lock = std::min<seconds>(lock * 2, 3600s);
    seconds wait{};
    Advance(lock - 1s);
    EXPECT_EQ(TryLogin("anna", kPassword, &wait), ErrorCode::kTooManyAttempts) << failures << " failures";
    EXPECT_EQ(wait, 1s) << failures << " failures";
    Advance(-(lock - 1s));
    EXPECT_EQ(TryLogin("anna", kPassword, &wait), ErrorCode::kTooManyAttempts) << failures << " failures";
    EXPECT_EQ(wait, lock) << failures << " failures";
  }
  EXPECT_EQ(lock, 3600s);
  Advance(3600s);
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kOk);
  // The success starts over: the next lock is the first one again.
  Fail(5);
  seconds wait{};
  EXPECT_EQ(TryLogin("anna", kPassword, &wait), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(wait, 60s);
}

TEST_F(SessionManagerTest, AttemptsDuringALockNeitherCountNorCheckThePassword) {
  Fail(5);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(TryLogin("anna", kWrong), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(QueryInt("SELECT consecutive FROM login_failures WHERE username = 'anna'"), 5);
  Advance(60s);
  Fail(1);
  seconds wait{};
  EXPECT_EQ(TryLogin("anna", kPassword, &wait), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(wait, 120s);  // the sixth failure, not the sixteenth
}

TEST_F(SessionManagerTest, AnUnknownUsernameIsLockedExactlyLikeAKnownOne) {
  Fail(5, "anna");
  Fail(5, "nobody");
  seconds known_wait{}, unknown_wait{};
  auto known = sessions_->Login("anna", kWrong, &known_wait);
  auto unknown = sessions_->Login("nobody", kWrong, &unknown_wait);
  ASSERT_FALSE(known.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(unknown.status().message(), known.status().message());
  EXPECT_EQ(unknown_wait, known_wait);
}

TEST_F(SessionManagerTest, OneUsernamesLockDoesNotTouchAnother) {
  Fail(5, "anna");
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kTooManyAttempts);
  EXPECT_EQ(TryLogin("sara", "saras eget lösenord"), ErrorCode::kOk);
}

TEST_F(SessionManagerTest, ANewPasswordLiftsTheLock) {
  Fail(5);
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kTooManyAttempts);
  ASSERT_TRUE(sessions_->SetPassword("anna", "ett helt nytt lösenord").ok());
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kUnauthenticated);  // the old one no longer works
  EXPECT_EQ(TryLogin("anna", "ett helt nytt lösenord"), ErrorCode::kOk);
}

// ---------------------------------------------------------------------------------------------------------
// Sessions

TEST_F(SessionManagerTest, ResumeFindsTheSessionAndItsUser) {
  auto login = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(login.ok());
  Advance(10min);
  auto session = sessions_->Resume(login->token);
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->id, login->session.id);
  EXPECT_EQ(session->principal.username, "anna");
  EXPECT_EQ(session->principal.role, Role::kCaseWorker);
  EXPECT_EQ(session->csrf_token, login->session.csrf_token);
  EXPECT_EQ(session->expires_at, "2026-03-02T18:00:00Z");
  EXPECT_EQ(session->idle_expires_at, "2026-03-02T08:40:00Z");
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM sessions WHERE last_seen_at = '2026-03-02T08:10:00Z'"));
}

TEST_F(SessionManagerTest, OtherTokensDoNotResumeIt) {
  auto login = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(login.ok());
  std::string flipped = login->token;
  flipped[0] = flipped[0] == 'a' ? 'b' : 'a';
  for (const std::string& token : {flipped, login->token.substr(0, 63), login->token + "0", std::string(),
                                   HashToken(login->token), login->session.csrf_token}) {
    auto session = sessions_->Resume(token);
    ASSERT_FALSE(session.ok()) << token;
    EXPECT_EQ(session.status().code(), ErrorCode::kUnauthenticated);
  }
  EXPECT_TRUE(sessions_->Resume(login->token).ok());
}

TEST_F(SessionManagerTest, IdleTimeoutIsThirtyMinutesFromTheLastUse) {
  auto login = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(login.ok());
  Advance(30min - 1s);
  ASSERT_TRUE(sessions_->Resume(login->token).ok());  // just in time, and it restarts the idle time
  Advance(30min - 1s);
  ASSERT_TRUE(sessions_->Resume(login->token).ok());
  Advance(30min);
  auto idle = sessions_->Resume(login->token);
  ASSERT_FALSE(idle.ok());
  EXPECT_EQ(idle.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(idle.status().message().find("30 minutes"), std::string::npos) << idle.status().message();
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM sessions WHERE end_reason = 'idle' AND ended_at IS NOT NULL"));
  // Ended for good: turning the clock back does not revive it.
  Advance(-30min);
  auto after = sessions_->Resume(login->token);
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.status().message().find("ended"), std::string::npos) << after.status().message();
}

TEST_F(SessionManagerTest, IdleTimeoutBoundaryRightAfterLogin) {
  auto login = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(login.ok());
  Advance(30min);
  EXPECT_FALSE(sessions_->Resume(login->token).ok());
}

TEST_F(SessionManagerTest, AbsoluteLimitIsTenHoursHoweverBusy) {
  auto login = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(login.ok());
  auto start = clock_.Now();
  while (clock_.Now() + 29min < start + 10h - 1s) {
    Advance(29min);
    ASSERT_TRUE(sessions_->Resume(login->token).ok()) << FormatUtc(clock_.Now());
  }
  clock_.Set(start + 10h - 1s);
  auto last = sessions_->Resume(login->token);
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_EQ(last->idle_expires_at, "2026-03-02T18:00:00Z");  // the absolute limit comes first
  clock_.Set(start + 10h);
  auto expired = sessions_->Resume(login->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("10 hours"), std::string::npos) << expired.status().message();
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM sessions WHERE end_reason = 'expired'"));
}

TEST_F(SessionManagerTest, EndingASessionIsFinalAndAffectsNoOther) {
  auto first = sessions_->Login("anna", kPassword);
  auto second = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(sessions_->End(first->session.id).ok());
  auto ended = sessions_->Resume(first->token);
  ASSERT_FALSE(ended.ok());
  EXPECT_NE(ended.status().message().find("ended"), std::string::npos) << ended.status().message();
  EXPECT_TRUE(sessions_->Resume(second->token).ok());
  EXPECT_EQ(sessions_->End(first->session.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(sessions_->End(987654).code(), ErrorCode::kNotFound);
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM sessions WHERE end_reason = 'logout'"));
}

TEST_F(SessionManagerTest, ANewPasswordEndsTheUsersSessionsOnly) {
  auto anna = sessions_->Login("anna", kPassword);
  auto sara = sessions_->Login("sara", "saras eget lösenord");
  ASSERT_TRUE(anna.ok());
  ASSERT_TRUE(sara.ok());
  ASSERT_TRUE(sessions_->SetPassword("anna", "ett helt nytt lösenord").ok());
  EXPECT_FALSE(sessions_->Resume(anna->token).ok());
  EXPECT_TRUE(sessions_->Resume(sara->token).ok());
  EXPECT_EQ(1, QueryInt("SELECT COUNT(*) FROM sessions WHERE end_reason = 'password_changed'"));
}

TEST_F(SessionManagerTest, TheUserIsReadAgainOnEveryRequest) {
  auto login = sessions_->Login("anna", kPassword);
  ASSERT_TRUE(login.ok());
  db_->Exec("UPDATE users SET role = 'team_lead' WHERE username = 'anna'");
  auto promoted = sessions_->Resume(login->token);
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(promoted->principal.role, Role::kTeamLead);
  db_->Exec(
      "UPDATE users SET role = 'superuser' WHERE username = 'anna'");  // a role this build does not know
  EXPECT_FALSE(sessions_->Resume(login->token).ok());
}

TEST_F(SessionManagerTest, SetPasswordRefusesShortPasswordsAndUnknownUsers) {
  Status short_one = sessions_->SetPassword("anna", "elva tecken");
  EXPECT_EQ(short_one.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(sessions_->SetPassword("nobody", "ett långt lösenord").code(), ErrorCode::kNotFound);
  EXPECT_EQ(TryLogin("anna", kPassword), ErrorCode::kOk);  // unchanged
}

// ---------------------------------------------------------------------------------------------------------
// CSRF tokens

TEST(CsrfTokensMatchTest, OnlyTheSameNonEmptyTokenMatches) {
  const std::string token(64, 'a');
  std::string last_off = token;
  last_off.back() = 'b';
  EXPECT_TRUE(CsrfTokensMatch(token, token));
  EXPECT_FALSE(CsrfTokensMatch(token, last_off));
  EXPECT_FALSE(CsrfTokensMatch(token, token.substr(0, 63)));
  EXPECT_FALSE(CsrfTokensMatch(token, token + "a"));
  EXPECT_FALSE(CsrfTokensMatch(token, ""));
  EXPECT_FALSE(CsrfTokensMatch("", ""));  // a session always has one; none never matches
}

}  // namespace
}  // namespace nysol::access
