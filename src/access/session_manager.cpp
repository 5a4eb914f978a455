#include "access/session_manager.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "core/civil_date.h"
#include "store/db.h"

namespace nysol::access {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::string_view kWrongCredentials = "the username or password is wrong";
constexpr std::string_view kLogInAgain = "log in again";

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

// 32 random bytes as 64 lower-case hex characters: session tokens and CSRF tokens.
std::string RandomToken() {
  InitSodium();
  std::array<unsigned char, 32> secret{};
  randombytes_buf(secret.data(), secret.size());
  std::string hex(secret.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), secret.data(), secret.size());
  hex.pop_back();
  sodium_memzero(secret.data(), secret.size());
  return hex;
}

// Times are stored as FormatUtc writes them; whole seconds, so that stored and computed times compare.
std::optional<sys_seconds> ParseUtc(std::string_view text) {
  if (text.size() != 20 || text.back() != 'Z') return std::nullopt;
  auto local = ParseLocalDateTime(text.substr(0, 19));
  if (!local.ok()) return std::nullopt;
  return sys_seconds{std::chrono::sys_days{local->date}} + std::chrono::hours{local->hour} +
         std::chrono::minutes{local->minute} + seconds{local->second};
}

// "30 minutes", "10 hours", "1 hour": the settings as a person reads them in a message.
std::string DurationText(seconds duration) {
  auto count = duration.count();
  auto unit = [](int64_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  if (count % 3600 == 0) return unit(count / 3600, "hour");
  if (count % 60 == 0) return unit(count / 60, "minute");
  return unit(count, "second");
}

bool ValidUsername(std::string_view username) {
  return !username.empty() && username.size() <= 64 &&
         username.find_first_of(" \t\r\n") == std::string_view::npos;
}

// One connection per thread and database. Sessions are touched on every request made with a cookie; with
// synchronous=NORMAL those small commits need no fsync of their own (a power cut can lose the last few
// `last_seen_at` updates, which only makes a session look idle sooner). WAL keeps the file consistent.
Result<store::Db*> Connection(const std::string& path) {
  thread_local std::unique_ptr<store::Db> db;
  thread_local std::string db_path;
  if (!db || db_path != path) {
    db.reset();
    auto opened = store::OpenDb(path);
    if (!opened.ok()) return opened.status();
    db = std::move(*opened);
    db_path = path;
    if (db->engine() == store::Engine::kSqlite) db->Exec("PRAGMA synchronous=NORMAL");
  }
  return db.get();
}

// BEGIN IMMEDIATE … COMMIT; rolls back unless committed (also when a statement throws).
class WriteTransaction {
 public:
  explicit WriteTransaction(store::Db& db) : db_(db) { db_.BeginWrite(); }
  ~WriteTransaction() {
    if (done_) return;
    try {
      db_.ResetStatements();
      db_.Exec("ROLLBACK");
    } catch (const store::StoreError&) {  // the connection rolls back by itself when the failure was fatal
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void Commit() {
    db_.ResetStatements();
    db_.Exec("COMMIT");
    done_ = true;
  }

 private:
  store::Db& db_;
  bool done_ = false;
};

// The lock on `username` still running at `now`, if any.
std::optional<sys_seconds> LockedUntil(store::Db& db, std::string_view username, sys_seconds now) {
  auto& st = db.Prepare("SELECT locked_until FROM login_failures WHERE username = ?1");
  st.Bind(1, username);
  std::optional<std::string> text;
  if (st.Step()) text = st.OptText(0);
  st.Reset();
  if (!text) return std::nullopt;
  auto until = ParseUtc(*text);
  if (!until || *until <= now) return std::nullopt;
  return until;
}

Status Locked(sys_seconds until, sys_seconds now, seconds* retry_after) {
  seconds wait = until - now;
  if (retry_after) *retry_after = wait;
  return Error(ErrorCode::kTooManyAttempts,
               fmt::format("too many failed logins; try again in {}", DurationText(wait)));
}

}  // namespace

std::chrono::seconds LockoutAfter(int64_t consecutive, const SessionSettings& settings) {
  if (consecutive < settings.lockout_threshold) return seconds{0};
  seconds lock = settings.first_lockout;
  for (int64_t extra = consecutive - settings.lockout_threshold; extra > 0 && lock < settings.max_lockout;
       --extra) {
    lock *= 2;
  }
  return std::min(lock, settings.max_lockout);
}

bool CsrfTokensMatch(std::string_view expected, std::string_view given) {
  if (expected.empty() || expected.size() != given.size()) return false;
  InitSodium();
  return sodium_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

SessionManager::SessionManager(std::string db_path, UserDirectory& users, const Clock& clock,
                               SessionSettings settings)
    : db_path_(std::move(db_path)), users_(users), clock_(clock), settings_(settings) {
  auto decoy = HashPassword(RandomToken(), settings_.password_cost);
  if (!decoy.ok())
    throw std::runtime_error("cannot compute the decoy password hash: " + decoy.status().message());
  decoy_hash_ = std::move(*decoy);
}

Result<NewSession> SessionManager::Login(std::string_view username, std::string_view password,
                                         std::chrono::seconds* retry_after) {
  if (!ValidUsername(username)) {
    return Error(ErrorCode::kInvalidInput, "'username' must be 1–64 characters without spaces");
  }
  if (password.empty() || password.size() > kMaxPasswordBytes) {
    return Error(ErrorCode::kInvalidInput, fmt::format("'password' must be 1–{} bytes", kMaxPasswordBytes));
  }
  auto connection = Connection(db_path_);
  if (!connection.ok()) return connection.status();
  store::Db& db = **connection;
  const sys_seconds now = std::chrono::floor<seconds>(clock_.Now());
  try {
    // A locked username is refused before any password is looked at: during the lock guessing gains nothing.
    if (auto until = LockedUntil(db, username, now)) return Locked(*until, now, retry_after);

    std::optional<int64_t> user_id;
    std::optional<std::string> stored_hash;
    auto& find = db.Prepare("SELECT id, password_hash FROM users WHERE username = ?1");
    find.Bind(1, username);
    if (find.Step()) {
      user_id = find.Int(0);
      stored_hash = find.OptText(1);
    }
    find.Reset();
    // The same Argon2id work whether or not there is a real hash: the time taken does not tell either.
    const bool has_hash = stored_hash.has_value();
    const bool verified = VerifyPassword(has_hash ? *stored_hash : decoy_hash_, password) && has_hash;

    if (!verified) {
      WriteTransaction transaction(db);
      // A parallel guess may have locked the name meanwhile: answer as the right password would be answered
      // (locked), so that the difference between 401 and 429 tells nothing, and do not count it.
      if (auto until = LockedUntil(db, username, now)) return Locked(*until, now, retry_after);
      auto& count = db.Prepare(
          "INSERT INTO login_failures (username, consecutive, last_failed_at) VALUES (?1, 1, ?2) "
          "ON CONFLICT (username) DO UPDATE SET consecutive = login_failures.consecutive + 1, last_failed_at = ?2 "
          "RETURNING consecutive");
      count.Bind(1, username).Bind(2, FormatUtc(now));
      int64_t consecutive = count.Step() ? count.Int(0) : 1;
      count.Reset();
      seconds lock = LockoutAfter(consecutive, settings_);
      if (lock > seconds{0}) {
        db.Prepare("UPDATE login_failures SET locked_until = ?1 WHERE username = ?2")
            .Bind(1, FormatUtc(now + lock))
            .Bind(2, username)
            .Run();
      }
      transaction.Commit();
      return Error(ErrorCode::kUnauthenticated, std::string(kWrongCredentials));
    }

    auto principal = users_.FindUser(username);
    if (!principal || principal->user_id != *user_id) {
      // The password was right but the user cannot act (a role this build does not know): no session, and
      // no failure either, since nobody guessed wrong.
      return Error(ErrorCode::kUnauthenticated, std::string(kWrongCredentials));
    }
    std::optional<std::string> rehashed;
    if (NeedsRehash(*stored_hash, settings_.password_cost)) {
      auto hash = HashPassword(password, settings_.password_cost);
      if (hash.ok()) rehashed = std::move(*hash);  // keeping the old hash a little longer is harmless
    }

    NewSession created;
    created.token = RandomToken();
    Session& session = created.session;
    session.principal = std::move(*principal);
    session.csrf_token = RandomToken();
    session.created_at = FormatUtc(now);
    session.expires_at = FormatUtc(now + settings_.absolute_timeout);
    session.idle_expires_at = FormatUtc(now + std::min(settings_.idle_timeout, settings_.absolute_timeout));

    WriteTransaction transaction(db);
    // Checked again inside the transaction: guesses sent in parallel must not slip past a lock that one of
    // them has just set.
    if (auto until = LockedUntil(db, username, now)) return Locked(*until, now, retry_after);
    db.Prepare("DELETE FROM login_failures WHERE username = ?1").Bind(1, username).Run();
    // What is past settings_.kept_for goes (an index range, sessions_expires), but never a running lock.
    const std::string kept_since = FormatUtc(now - settings_.kept_for);
    db.Prepare("DELETE FROM sessions WHERE expires_at < ?1").Bind(1, kept_since).Run();
    db.Prepare(
          "DELETE FROM login_failures WHERE last_failed_at < ?1 AND (locked_until IS NULL OR locked_until < "
          "?2)")
        .Bind(1, kept_since)
        .Bind(2, FormatUtc(now))
        .Run();
    if (rehashed) {
      db.Prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2")
          .Bind(1, *rehashed)
          .Bind(2, *user_id)
          .Run();
    }
    auto& insert = db.Prepare(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
        "VALUES (?1, ?2, ?3, ?4, ?4, ?5) RETURNING id");
    insert.Bind(1, HashToken(created.token))
        .Bind(2, *user_id)
        .Bind(3, session.csrf_token)
        .Bind(4, session.created_at)
        .Bind(5, session.expires_at);
    if (!insert.Step()) throw store::StoreError("INSERT … RETURNING gave no row");
    session.id = insert.Int(0);
    insert.Reset();
    transaction.Commit();
    return created;
  } catch (const store::StoreError& e) {
    return Error(ErrorCode::kUnavailable, fmt::format("the login could not be recorded: {}", e.what()));
  }
}

Result<Session> SessionManager::Resume(std::string_view token) {
  const std::string not_valid = fmt::format("the session is not valid; {}", kLogInAgain);
  if (token.size() != 64) return Error(ErrorCode::kUnauthenticated, not_valid);
  auto connection = Connection(db_path_);
  if (!connection.ok()) return connection.status();
  store::Db& db = **connection;
  const sys_seconds now = std::chrono::floor<seconds>(clock_.Now());
  try {
    auto& st = db.Prepare(
        "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.ended_at, u.username "
        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
    st.Bind(1, HashToken(token));
    if (!st.Step()) {
      st.Reset();
      return Error(ErrorCode::kUnauthenticated, not_valid);
    }
    Session session;
    session.id = st.Int(0);
    session.csrf_token = st.Text(1);
    session.created_at = st.Text(2);
    std::string last_seen_text = st.Text(3);
    session.expires_at = st.Text(4);
    bool ended = !st.IsNull(5);
    std::string username = st.Text(6);
    st.Reset();  // never keep a read transaction open on this long-lived connection

    if (ended)
      return Error(ErrorCode::kUnauthenticated, fmt::format("the session has ended; {}", kLogInAgain));
    auto expires = ParseUtc(session.expires_at);
    auto last_seen = ParseUtc(last_seen_text);
    if (!expires || !last_seen) return Error(ErrorCode::kUnauthenticated, not_valid);
    auto end = [&](std::string_view reason) {
      db.Prepare("UPDATE sessions SET ended_at = ?1, end_reason = ?2 WHERE id = ?3 AND ended_at IS NULL")
          .Bind(1, FormatUtc(now))
          .Bind(2, reason)
          .Bind(3, session.id)
          .Run();
    };
    if (now >= *expires) {
      end("expired");
      return Error(ErrorCode::kUnauthenticated,
                   fmt::format("the session reached its limit of {} after login; {}",
                               DurationText(settings_.absolute_timeout), kLogInAgain));
    }
    if (now >= *last_seen + settings_.idle_timeout) {
      end("idle");
      return Error(ErrorCode::kUnauthenticated,
                   fmt::format("the session ended after {} without use; {}",
                               DurationText(settings_.idle_timeout), kLogInAgain));
    }
    // The user as the directory has it now: a changed role or unit takes effect on the next request.
    auto principal = users_.FindUser(username);
    if (!principal) return Error(ErrorCode::kUnauthenticated, not_valid);
    session.principal = std::move(*principal);
    if (now > *last_seen) {
      db.Prepare("UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2 AND last_seen_at < ?1")
          .Bind(1, FormatUtc(now))
          .Bind(2, session.id)
          .Run();
    }
    session.idle_expires_at = FormatUtc(std::min(now + settings_.idle_timeout, *expires));
    return session;
  } catch (const store::StoreError& e) {
    db.ResetStatements();
    return Error(ErrorCode::kUnavailable, fmt::format("the session could not be checked: {}", e.what()));
  }
}

Status SessionManager::End(int64_t session_id) {
  auto connection = Connection(db_path_);
  if (!connection.ok()) return connection.status();
  store::Db& db = **connection;
  try {
    db.Prepare("UPDATE sessions SET ended_at = ?1, end_reason = 'logout' WHERE id = ?2 AND ended_at IS NULL")
        .Bind(1, FormatUtc(std::chrono::floor<seconds>(clock_.Now())))
        .Bind(2, session_id)
        .Run();
    if (db.Changes() == 0) {
      return Error(ErrorCode::kNotFound, fmt::format("there is no open session {}", session_id));
    }
    return Status::Ok();
  } catch (const store::StoreError& e) {
    return Error(ErrorCode::kUnavailable, fmt::format("the session could not be ended: {}", e.what()));
  }
}

Status SessionManager::SetPassword(std::string_view username, std::string_view password) {
  NYSOL_RETURN_IF_ERROR(CheckNewPassword(password));
  auto connection = Connection(db_path_);
  if (!connection.ok()) return connection.status();
  store::Db& db = **connection;
  try {
    auto& find = db.Prepare("SELECT id FROM users WHERE username = ?1");
    find.Bind(1, username);
    std::optional<int64_t> user_id;
    if (find.Step()) user_id = find.Int(0);
    find.Reset();
    if (!user_id) return Error(ErrorCode::kNotFound, fmt::format("there is no user '{}'", username));
    auto hash = HashPassword(password, settings_.password_cost);
    if (!hash.ok()) return hash.status();
    const std::string now = FormatUtc(std::chrono::floor<seconds>(clock_.Now()));

    WriteTransaction transaction(db);
    db.Prepare("UPDATE users SET password_hash = ?1, password_changed_at = ?2 WHERE id = ?3")
        .Bind(1, *hash)
        .Bind(2, now)
        .Bind(3, *user_id)
        .Run();
    db.Prepare("DELETE FROM login_failures WHERE username = ?1").Bind(1, username).Run();
    // Whoever had a session with the old password loses it.
    db.Prepare(
          "UPDATE sessions SET ended_at = ?1, end_reason = 'password_changed' "
          "WHERE user_id = ?2 AND ended_at IS NULL")
        .Bind(1, now)
        .Bind(2, *user_id)
        .Run();
    transaction.Commit();
    return Status::Ok();
  } catch (const store::StoreError& e) {
    return Error(ErrorCode::kUnavailable, fmt::format("the password could not be stored: {}", e.what()));
  }
}

}  // namespace nysol::access
