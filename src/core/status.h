// Expected failures as values: every validation, lookup or transition that can fail returns a Status or a
// Result<T>. The error code is stable (clients and tests match on it); the message is for a human.
// Exceptions are kept for bugs and broken invariants only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nysol {

enum class ErrorCode {
  kOk = 0,
  kInvalidInput,           // malformed field, missing field, value out of range
  kInvalidIdentityNumber,  // personnummer / samordningsnummer does not validate
  kInvalidDate,            // not a real calendar date or time
  kUnknownCode,            // value not in a rulebook code list
  kMalformedJson,          // body is not JSON or not the expected shape
  kPayloadTooLarge,
  kNotFound,
  kIllegalTransition,      // the matter's state does not allow this step
  kConflict,               // would duplicate or contradict stored data
  kUnauthenticated,
  kForbidden,
  kCsrfTokenInvalid,       // a change sent with the session cookie lacks the session's CSRF token
  kTooManyAttempts,        // logins refused for a while after repeated failures
  kUnavailable,            // database or dependency not reachable
  kInternal,
};

// The stable, machine-readable name of a code, e.g. "illegal_transition".
std::string_view ErrorCodeName(ErrorCode code);

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose, like std::expected
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

inline Status Error(ErrorCode code, std::string message) { return Status(code, std::move(message)); }

}  // namespace nysol

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define NYSOL_RETURN_IF_ERROR(expr)        \
  do {                                     \
    ::nysol::Status nysol_status_ = (expr); \
    if (!nysol_status_.ok()) return nysol_status_; \
  } while (0)
