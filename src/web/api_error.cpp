#include "web/api_error.h"

#include <nlohmann/json.hpp>

namespace nysol::web {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidInput:
    case ErrorCode::kMalformedJson: return 400;
    case ErrorCode::kInvalidIdentityNumber:
    case ErrorCode::kInvalidDate:
    case ErrorCode::kUnknownCode: return 422;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kIllegalTransition:
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden:
    case ErrorCode::kCsrfTokenInvalid: return 403;
    case ErrorCode::kTooManyAttempts: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const Status& status) {
  HttpResponse response;
  response.status = HttpStatusFor(status.code());
  nlohmann::json body = {{"error", {{"code", ErrorCodeName(status.code())}, {"message", status.message()}}}};
  response.body = body.dump();
  if (status.code() == ErrorCode::kUnauthenticated) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace nysol::web
