#include "web/csrf.h"

#include <fmt/format.h>

#include "access/session_manager.h"
#include "web/url.h"

namespace nysol::web {
namespace {

bool Exempt(const HttpRequest& request, const Authentication& authentication) {
  return !IsStateChanging(request.method) || authentication.csrf_token.empty();
}

}  // namespace

bool IsStateChanging(std::string_view method) { return method != "GET" && method != "HEAD"; }

Status CheckCsrfHeader(const HttpRequest& request, const Authentication& authentication) {
  if (Exempt(request, authentication)) return Status::Ok();
  auto header = request.headers.find(std::string(kCsrfHeader));
  if (header == request.headers.end() || header->second.empty()) {
    return Error(
        ErrorCode::kCsrfTokenInvalid,
        "a change made with the session cookie must carry the session's CSRF token in the X-CSRF-Token "
        "header (it is in the answer to POST and GET /api/v1/session)");
  }
  if (!access::CsrfTokensMatch(authentication.csrf_token, header->second)) {
    return Error(ErrorCode::kCsrfTokenInvalid,
                 "the X-CSRF-Token header does not match this session's CSRF token");
  }
  return Status::Ok();
}

Status CheckCsrf(const HttpRequest& request, const Authentication& authentication) {
  if (Exempt(request, authentication)) return Status::Ok();
  std::string content_type = request.Header("content-type");
  bool form = content_type.rfind("application/x-www-form-urlencoded", 0) == 0;
  if (request.headers.count(std::string(kCsrfHeader)) || !form) return CheckCsrfHeader(request, authentication);
  std::multimap<std::string, std::string> fields;
  if (!ParseForm(request.body, &fields)) {
    return Error(ErrorCode::kCsrfTokenInvalid, "the form cannot be read, so its CSRF token cannot be checked");
  }
  return CheckCsrfFormField(request, authentication, fields);
}

Status CheckCsrfFormField(const HttpRequest& request, const Authentication& authentication,
                          const std::multimap<std::string, std::string>& fields) {
  if (Exempt(request, authentication)) return Status::Ok();
  auto [first, last] = fields.equal_range(std::string(kCsrfFormField));
  if (first == last) {
    return Error(
        ErrorCode::kCsrfTokenInvalid,
        fmt::format("the form must carry the session's CSRF token in the field '{}'", kCsrfFormField));
  }
  if (std::next(first) != last) {
    return Error(ErrorCode::kCsrfTokenInvalid,
                 fmt::format("the form carries more than one '{}' field", kCsrfFormField));
  }
  if (!access::CsrfTokensMatch(authentication.csrf_token, first->second)) {
    return Error(ErrorCode::kCsrfTokenInvalid,
                 fmt::format("the form field '{}' does not match this session's CSRF token", kCsrfFormField));
  }
  return Status::Ok();
}

}  // namespace nysol::web
