// Logging in and out from a browser: POST /api/v1/session (login: sets the session cookie, answers with the
// user and the CSRF token), GET /api/v1/session (who am I) and DELETE /api/v1/session (logout). Added to the
// router beside the API routes; the session cookie itself is checked by SessionCookieAuthenticator.
#pragma once

#include <string>
#include <string_view>

#include "access/session_manager.h"
#include "web/cookie.h"
#include "web/router.h"

namespace nysol::web {

// `sessions` must outlive the router.
void RegisterSessionRoutes(Router& router, access::SessionManager& sessions, const CookieOptions& cookie);

// One JSON line on stderr per login ("ok", "refused", "locked"), for watching for guessing. `username` only
// for a success: people sometimes type their password into that field.
void LogLogin(std::string_view outcome, const std::string& remote_address, const std::string* username);

}  // namespace nysol::web
