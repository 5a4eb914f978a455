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
    {Role::kFirstLine, "first_line"},
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
  if (!UnitExists(unit)) {
    return Error(ErrorCode::kInvalidInput, fmt::format("there is no unit '{}' (see `nysol unit list`)", unit));
  }
  InitSodium();
  std::array<unsigned char, 32> secret{};
  randombytes_buf(secret.data(), secret.size());
  std::string token = Hex(secret.data(), secret.size());
  auto db = store::ThreadConnection::Get(db_path_);
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
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) throw store::StoreUnavailable(db.status().message());  // not "no such user"
  auto& st = (*db)->Prepare(
      "SELECT id, username, display_name, unit, role, protected_data_access FROM users WHERE token_hash = ?1");
  st.Bind(1, HashToken(token));
  if (!st.Step()) return std::nullopt;
  Principal principal{st.Int(0), st.Text(1), st.Text(2), st.Text(3)};
  principal.protected_data_access = st.Int(5) != 0;
  bool known_role = ParseRole(st.Text(4), &principal.role);
  if (!known_role) return std::nullopt;
  return principal;
}

std::optional<Principal> UserDirectory::FindUser(std::string_view username) {
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) throw store::StoreUnavailable(db.status().message());  // not "no such user"
  auto& st = (*db)->Prepare(
      "SELECT id, username, display_name, unit, role, protected_data_access FROM users WHERE username = ?1");
  st.Bind(1, username);
  if (!st.Step()) return std::nullopt;
  Principal principal{st.Int(0), st.Text(1), st.Text(2), st.Text(3)};
  principal.protected_data_access = st.Int(5) != 0;
  if (!ParseRole(st.Text(4), &principal.role)) return std::nullopt;
  return principal;
}

Status UserDirectory::SetProtectedDataAccess(std::string_view username, bool allowed) {
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) return db.status();
  (*db)->Prepare("UPDATE users SET protected_data_access = ?1 WHERE username = ?2").Bind(1, allowed).Bind(2, username).Run();
  if ((*db)->Changes() == 0) return Error(ErrorCode::kNotFound, fmt::format("there is no user '{}'", username));
  return Status::Ok();
}

std::vector<Principal> UserDirectory::Users() {
  std::vector<Principal> users;
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) throw store::StoreUnavailable(db.status().message());  // not "no such user"
  auto& st = (*db)->Prepare(
      "SELECT id, username, display_name, unit, role, protected_data_access FROM users ORDER BY username");
  while (st.Step()) {
    Principal p{st.Int(0), st.Text(1), st.Text(2), st.Text(3)};
    p.protected_data_access = st.Int(5) != 0;
    if (ParseRole(st.Text(4), &p.role)) users.push_back(std::move(p));
  }
  return users;
}

std::vector<Unit> UserDirectory::Units() {
  std::vector<Unit> units;
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) throw store::StoreUnavailable(db.status().message());  // not "no such user"
  auto& st = (*db)->Prepare("SELECT code, name_sv FROM units ORDER BY code");
  while (st.Step()) units.push_back({st.Text(0), st.Text(1)});
  return units;
}

Status UserDirectory::AddUnit(std::string_view code, std::string_view name_sv) {
  bool valid = code.size() >= 2 && code.size() <= 40 &&
               std::all_of(code.begin(), code.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
  if (!valid) return Error(ErrorCode::kInvalidInput, "unit code must be 2–40 characters a–z, 0–9 or '-'");
  if (name_sv.empty() || name_sv.size() > 200) return Error(ErrorCode::kInvalidInput, "unit name must be 1–200 characters");
  if (UnitExists(code)) return Error(ErrorCode::kConflict, fmt::format("unit '{}' already exists", code));
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) return db.status();
  (*db)->Prepare("INSERT INTO units (code, name_sv) VALUES (?1, ?2)").Bind(1, code).Bind(2, name_sv).Run();
  return Status::Ok();
}

bool UserDirectory::UnitExists(std::string_view code) {
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) throw store::StoreUnavailable(db.status().message());  // not "no such user"
  auto& st = (*db)->Prepare("SELECT 1 FROM units WHERE code = ?1");
  st.Bind(1, code);
  return st.Step();
}

}  // namespace nysol::access
