#include "access/user_directory.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <mutex>

namespace nysol::access {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoles = {{
    {Role::kCaseWorker, "case_worker"},
    {Role::kTeamLead, "team_lead"},
    {Role::kIntake, "intake"},
    {Role::kAnalyst, "analyst"},
    {Role::kCommittee, "committee"},
    {Role::kAdmin, "admin"},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";  // never a real role: ParseRole refuses it, so it can grant nothing
}

bool IsKnownRole(Role role) {
  return std::any_of(kRoles.begin(), kRoles.end(), [role](const auto& entry) { return entry.first == role; });
}

bool ParseRole(std::string_view text, Role* role) {
  for (const auto& [r, name] : kRoles) {
    if (name == text) {
      *role = r;
      return true;
    }
  }
  return false;
}

std::string HashToken(std::string_view token) {
  InitSodium();
  std::array<unsigned char, 32> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  return Hex(hash.data(), hash.size());
}

Result<std::string> UserDirectory::AddUser(std::string_view username, std::string_view display_name,
                                           std::string_view unit, Role role, std::string_view created_at) {
  if (username.empty() || username.size() > 64 || username.find_first_of(" \t\n") != std::string_view::npos) {
    return Error(ErrorCode::kInvalidInput, "username must be 1–64 characters without spaces");
  }
  if (unit.empty() || display_name.empty()) {
    return Error(ErrorCode::kInvalidInput, "display name and unit are required");
  }
  if (!IsKnownRole(role)) {
    return Error(ErrorCode::kInvalidInput, fmt::format("unknown role {}", static_cast<int>(role)));
  }
  InitSodium();
  std::array<unsigned char, 32> secret{};
  randombytes_buf(secret.data(), secret.size());
  std::string token = Hex(secret.data(), secret.size());
  auto db = store::SqliteDb::Open(db_path_);
  if (!db.ok()) return db.status();
  auto& exists = (*db)->Prepare("SELECT 1 FROM users WHERE username = ?1");
  exists.Bind(1, username);
  bool taken = exists.Step();
  exists.Reset();
  if (taken) return Error(ErrorCode::kConflict, fmt::format("user '{}' already exists", username));
  (*db)->Prepare(
           "INSERT INTO users (username, display_name, unit, role, token_hash, created_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .Bind(1, username)
      .Bind(2, display_name)
      .Bind(3, unit)
      .Bind(4, RoleName(role))
      .Bind(5, HashToken(token))
      .Bind(6, created_at)
      .Run();
  return token;
}

std::optional<Principal> UserDirectory::Authenticate(std::string_view token) {
  if (token.size() != 64) return std::nullopt;
  thread_local std::unique_ptr<store::SqliteDb> db;
  thread_local std::string db_path;
  if (!db || db_path != db_path_) {
    auto opened = store::SqliteDb::Open(db_path_);
    if (!opened.ok()) return std::nullopt;
    db = std::move(*opened);
    db_path = db_path_;
  }
  auto& st = db->Prepare("SELECT id, username, display_name, unit, role FROM users WHERE token_hash = ?1");
  st.Bind(1, HashToken(token));
  if (!st.Step()) return std::nullopt;
  Principal principal{st.Int(0), st.Text(1), st.Text(2), st.Text(3)};
  bool known_role = ParseRole(st.Text(4), &principal.role);
  st.Reset();  // never keep a read transaction open on this long-lived connection
  if (!known_role) return std::nullopt;
  return principal;
}

}  // namespace nysol::access
