#include "access/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <mutex>
#include <stdexcept>

namespace nysol::access {
namespace {

static_assert(kInteractivePasswordCost.passes == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(kInteractivePasswordCost.memory_bytes == crypto_pwhash_MEMLIMIT_INTERACTIVE);
static_assert(kTestPasswordCost.passes == crypto_pwhash_OPSLIMIT_MIN);
static_assert(kTestPasswordCost.memory_bytes == crypto_pwhash_MEMLIMIT_MIN);

using HashString = std::array<char, crypto_pwhash_STRBYTES>;

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

// Copies a stored hash into the NUL-terminated buffer libsodium reads; false when it cannot be one.
bool ToHashString(std::string_view stored_hash, HashString* out) {
  if (stored_hash.empty() || stored_hash.size() >= out->size()) return false;
  if (stored_hash.find('\0') != std::string_view::npos) return false;
  out->fill('\0');
  stored_hash.copy(out->data(), stored_hash.size());
  return true;
}

// Counts code points of well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF);
// false when `text` is not well-formed or holds a control character.
bool CountCharacters(std::string_view text, size_t* count, bool* has_control) {
  *count = 0;
  *has_control = false;
  size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    uint32_t code_point = 0;
    size_t length = 0;
    if (byte < 0x80) {
      code_point = byte;
      length = 1;
    } else if ((byte & 0xE0) == 0xC0) {
      code_point = byte & 0x1F;
      length = 2;
    } else if ((byte & 0xF0) == 0xE0) {
      code_point = byte & 0x0F;
      length = 3;
    } else if ((byte & 0xF8) == 0xF0) {
      code_point = byte & 0x07;
      length = 4;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallest[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    if (code_point < 0x20 || (code_point >= 0x7F && code_point < 0xA0)) *has_control = true;
    ++*count;
    i += length;
  }
  return true;
}

}  // namespace

Status CheckNewPassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("the password must be at most {} bytes", kMaxPasswordBytes));
  }
  size_t characters = 0;
  bool has_control = false;
  if (!CountCharacters(password, &characters, &has_control)) {
    return Error(ErrorCode::kInvalidInput, "the password is not valid UTF-8 text");
  }
  if (has_control) {
    return Error(ErrorCode::kInvalidInput,
                 "the password must not contain control characters such as a line break or tab");
  }
  if (characters < kMinPasswordCharacters) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("the password must be at least {} characters long (it has {})",
                             kMinPasswordCharacters, characters));
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  InitSodium();
  HashString out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost.passes, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error(ErrorCode::kUnavailable, "not enough memory to hash the password; try again");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
  InitSodium();
  HashString hash;
  if (!ToHashString(stored_hash, &hash)) return false;
  return crypto_pwhash_str_verify(hash.data(), password.data(), password.size()) == 0;
}

std::string GeneratePassword() {
  InitSodium();
  constexpr std::string_view kAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password(20, ' ');
  for (char& c : password) c = kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  return password;
}

bool NeedsRehash(std::string_view stored_hash, PasswordCost cost) {
  InitSodium();
  HashString hash;
  if (!ToHashString(stored_hash, &hash)) return true;
  return crypto_pwhash_str_needs_rehash(hash.data(), cost.passes, cost.memory_bytes) != 0;
}

}  // namespace nysol::access
