// Logging in with a password, the lockout after repeated failures, and browser sessions with an idle and an
// absolute limit. Sessions live on the server: the client holds a random token, the database only its hash,
// with the user, the session's CSRF token and its times. Time is read through the injected Clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "access/password.h"
#include "access/user_directory.h"
#include "core/clock.h"
#include "core/status.h"

namespace nysol::access {

// The limits of logins and sessions. They are security settings, not law, so they live here and not in the
// rulebook; a municipality that wants others changes them in one place.
struct SessionSettings {
  // A session not used for this long ends, and the user logs in again: an unattended screen stays open
  // for half an hour at most.
  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  // A session ends this long after its login however busy it is, so a stolen cookie is worth a working day
  // at most.
  std::chrono::seconds absolute_timeout = std::chrono::hours(10);
  // This many failed logins in a row lock the username for `first_lockout`; each further failure after a
  // lock has run out doubles it, up to `max_lockout`. Enough for typing mistakes, too slow for guessing.
  int lockout_threshold = 5;
  std::chrono::seconds first_lockout = std::chrono::minutes(1);
  std::chrono::seconds max_lockout = std::chrono::hours(1);
  // Sessions, and counts of failed logins, are removed this long after they stopped mattering (a session's
  // absolute limit, a username's last failure), at the next successful login of anyone: three months of login
  // history for a security review and no longer, since it is staff's personal data (GDPR art. 5.1 e). A
  // running lock stays, whatever the setting.
  std::chrono::seconds kept_for = std::chrono::days(90);
  // Argon2id work per password hash (tests use kTestPasswordCost).
  PasswordCost password_cost = kInteractivePasswordCost;
};

// How long a username is locked after `consecutive` failed logins in a row: zero below the threshold, then
// first_lockout doubled for each failure past it, never more than max_lockout.
std::chrono::seconds LockoutAfter(int64_t consecutive, const SessionSettings& settings);

struct Session {
  int64_t id = 0;
  Principal principal;
  std::string csrf_token;       // 64 hex characters; required in X-CSRF-Token on changes made through it
  std::string created_at;       // UTC, "2026-03-02T08:00:00Z"
  std::string expires_at;       // the absolute limit
  std::string idle_expires_at;  // when it ends unless it is used before then
};

struct NewSession {
  Session session;
  std::string token;  // 64 hex characters: given to the client once; only its hash is stored
};

// Thread-safe: every thread uses its own database connection.
class SessionManager {
 public:
  // `users` and `clock` must outlive the manager. Computes one decoy hash at `settings.password_cost`.
  SessionManager(std::string db_path, UserDirectory& users, const Clock& clock,
                 SessionSettings settings = {});

  const SessionSettings& settings() const { return settings_; }

  // Checks `password` for `username` and starts a session. Refusals:
  // - kUnauthenticated, always "the username or password is wrong": for an unknown username, a user without
  //   a password and a wrong password alike, each after the same Argon2id work, so that neither the answer
  //   nor its timing tells whether the username exists. Each counts as a failure for the username.
  // - kTooManyAttempts while the username is locked; the password is then not checked and nothing counts.
  //   `*retry_after` (when given) is set to the whole seconds until the lock ends.
  // - kInvalidInput for a username or password that cannot be valid (empty, too long); nothing counts.
  // - kUnavailable when the database cannot be reached.
  Result<NewSession> Login(std::string_view username, std::string_view password,
                           std::chrono::seconds* retry_after = nullptr);

  // The session whose token is `token`, marked as used now (which restarts its idle time). kUnauthenticated
  // with a message that says why otherwise: unknown token, ended, unused too long, past its absolute limit.
  // A session found expired is ended in the database. kUnavailable when the database cannot be reached.
  Result<Session> Resume(std::string_view token);

  // Ends a session (logout). kNotFound when there is no such session or it has already ended.
  Status End(int64_t session_id);

  // Sets the password of `username` (after CheckNewPassword), lifts the username's lockout and ends the
  // user's open sessions. kNotFound for an unknown username.
  Status SetPassword(std::string_view username, std::string_view password);

 private:
  std::string db_path_;
  UserDirectory& users_;
  const Clock& clock_;
  SessionSettings settings_;
  // The hash of a random password nobody knows, checked when there is no real hash to check, so that an
  // unknown username costs the same time as a known one.
  std::string decoy_hash_;
};

// Compares CSRF tokens in time independent of where they differ. False when either is empty.
bool CsrfTokensMatch(std::string_view expected, std::string_view given);

}  // namespace nysol::access
