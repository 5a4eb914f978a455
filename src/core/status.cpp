#include "core/status.h"

namespace nysol {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kInvalidIdentityNumber: return "invalid_identity_number";
    case ErrorCode::kInvalidDate: return "invalid_date";
    case ErrorCode::kUnknownCode: return "unknown_code";
    case ErrorCode::kMalformedJson: return "malformed_json";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kIllegalTransition: return "illegal_transition";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kCsrfTokenInvalid: return "csrf_token_invalid";
    case ErrorCode::kTooManyAttempts: return "too_many_attempts";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace nysol
