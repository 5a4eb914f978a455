// Cross-site request forgery: a page on another site can make the browser send a request to NySoL, and the
// browser adds the session cookie by itself. So every state-changing request made with the session cookie
// must also carry the session's CSRF token, which another site cannot read: in the X-CSRF-Token header (the
// API), or in a `_csrf` form field (HTML forms). Requests authenticated by a bearer token are exempt: no
// browser adds that header by itself. SameSite=Strict on the cookie is a second, independent guard.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"
#include "web/authenticator.h"
#include "web/http_message.h"

namespace nysol::web {

inline constexpr std::string_view kCsrfHeader = "x-csrf-token";  // lower-case, as HttpRequest keeps names
inline constexpr std::string_view kCsrfFormField = "_csrf";

// GET and HEAD only read; every other method may change something.
bool IsStateChanging(std::string_view method);

// For the pipeline: Ok for reads and for credentials without a CSRF token; otherwise the X-CSRF-Token header
// must equal the session's token. kCsrfTokenInvalid (403) when it is missing or wrong.
Status CheckCsrfHeader(const HttpRequest& request, const Authentication& authentication);

// For the pipeline, on every route: the header when the request has one; otherwise, for an HTML form post
// (application/x-www-form-urlencoded), the form's `_csrf` field; otherwise kCsrfTokenInvalid.
Status CheckCsrf(const HttpRequest& request, const Authentication& authentication);

// For an HTML form handler: the same check on the form's `_csrf` field (`fields` as parsed from an
// application/x-www-form-urlencoded body). Exactly one `_csrf` field must be present and match.
Status CheckCsrfFormField(const HttpRequest& request, const Authentication& authentication,
                          const std::multimap<std::string, std::string>& fields);

}  // namespace nysol::web
