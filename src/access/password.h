// Passwords: Argon2id through libsodium (crypto_pwhash_str_alg). The stored form is libsodium's string
// ("$argon2id$v=19$m=…,t=…,p=1$salt$hash"): it carries its own random salt and cost, so hashes made with an
// older cost still verify and NeedsRehash says when to replace them. The password itself is never stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace nysol::access {

// Argon2id work per hash. Each login in flight holds `memory_bytes`, so this bounds memory as well as time.
struct PasswordCost {
  uint64_t passes = 0;      // libsodium's opslimit
  size_t memory_bytes = 0;  // libsodium's memlimit
};
// libsodium's "interactive" level: 2 passes over 64 MiB, roughly 0.1 s on one server core.
inline constexpr PasswordCost kInteractivePasswordCost{2, 64u << 20};
// The least Argon2id allows (1 pass, 8 KiB). For tests only: it makes a guess nearly free.
inline constexpr PasswordCost kTestPasswordCost{1, 8u << 10};

// A new password must have at least this many characters (Unicode code points) …
inline constexpr size_t kMinPasswordCharacters = 12;
// … and at most this many bytes; longer input is refused before any hashing, at login too.
inline constexpr size_t kMaxPasswordBytes = 1024;

// Whether `password` may be set as a new password: valid UTF-8, kMinPasswordCharacters or more, at most
// kMaxPasswordBytes, no control characters (a pasted line break or tab is almost always a mistake).
// kInvalidInput with a message that says which rule failed; the message never repeats the password.
Status CheckNewPassword(std::string_view password);

// The Argon2id hash of `password` at `cost`, in libsodium's string form. kUnavailable when libsodium cannot
// allocate the memory the cost asks for. Thread-safe.
Result<std::string> HashPassword(std::string_view password, PasswordCost cost);

// True only when `stored_hash` is a well-formed libsodium hash string of `password`. Takes time in
// proportion to the cost recorded in the hash, whether or not the password is right. Thread-safe.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

// A random password of 20 characters from letters and digits that are hard to confuse (no 0/O, 1/l/I), about
// 114 bits: for the demo's users, and for anyone who wants one. Thread-safe.
std::string GeneratePassword();

// True when `stored_hash` was made with another algorithm or cost than `cost` (and should be replaced at
// the next successful login).
bool NeedsRehash(std::string_view stored_hash, PasswordCost cost);

}  // namespace nysol::access
