// Authentication: who is making a request. The pipeline asks each Authenticator in turn; the first that finds
// its kind of credential on the request decides, and a credential that is present but not valid is refused
// (401) without trying the others. Two kinds exist: the bearer API token and the session cookie. Single
// sign-on (OIDC, SAML, SITHS) is meant to become one more implementation, without touching the pipeline.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/session_manager.h"
#include "access/user_directory.h"
#include "core/status.h"
#include "web/cookie.h"
#include "web/http_message.h"

namespace nysol::web {

// Who the request is from, and how it proved it.
struct Authentication {
  access::Principal principal;
  std::string method;  // "bearer" | "session" (more with single sign-on); for GET /api/v1/session and logs
  // For a credential the browser sends by itself (a cookie): the token every state-changing request must also
  // carry (see web/csrf.h). Empty for credentials a script must add on purpose (Authorization), which another
  // site cannot make the browser send.
  std::string csrf_token;
  std::optional<access::Session> session;  // the server-side session, when the credential is one
};

struct AuthenticationResult {
  enum class State {
    kNoCredential,   // this authenticator's kind of credential is not on the request: try the next one
    kAuthenticated,  // `authentication` is set
    kRefused,  // the credential is there but not valid: `status` says why (kUnauthenticated, kUnavailable)
  };
  State state = State::kNoCredential;
  std::optional<Authentication> authentication;
  Status status;
  std::vector<std::pair<std::string, std::string>> response_headers;  // e.g. Set-Cookie to drop a dead cookie

  static AuthenticationResult NoCredential() { return {}; }
  static AuthenticationResult Authenticated(Authentication authentication) {
    AuthenticationResult result;
    result.state = State::kAuthenticated;
    result.authentication = std::move(authentication);
    return result;
  }
  static AuthenticationResult Refused(Status status) {
    AuthenticationResult result;
    result.state = State::kRefused;
    result.status = std::move(status);
    return result;
  }
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Looks for this authenticator's credential on `request` and checks it. Called for many requests at once,
  // so it must be thread-safe.
  virtual AuthenticationResult Authenticate(const HttpRequest& request) const = 0;
  // How a client presents this credential, for the 401 when a request carries none ("an 'Authorization:
  // Bearer <token>' header").
  virtual std::string_view Presentation() const = 0;
};

// "Authorization: Bearer <API token>". Exempt from CSRF: a browser never adds the header on its own.
class BearerTokenAuthenticator final : public Authenticator {
 public:
  explicit BearerTokenAuthenticator(access::UserDirectory& users) : users_(users) {}
  AuthenticationResult Authenticate(const HttpRequest& request) const override;
  std::string_view Presentation() const override { return "an 'Authorization: Bearer <token>' header"; }

 private:
  access::UserDirectory& users_;
};

// The nysol_session cookie set by POST /api/v1/session. Refuses a request with more than one such cookie
// (another page of the same site could have planted the second). A refused cookie is cleared in the answer.
class SessionCookieAuthenticator final : public Authenticator {
 public:
  SessionCookieAuthenticator(access::SessionManager& sessions, CookieOptions cookie)
      : sessions_(sessions), cookie_(cookie) {}
  AuthenticationResult Authenticate(const HttpRequest& request) const override;
  std::string_view Presentation() const override { return "the session cookie from POST /api/v1/session"; }

 private:
  access::SessionManager& sessions_;
  CookieOptions cookie_;
};

using Authenticators = std::vector<std::shared_ptr<const Authenticator>>;

// The standard order: the bearer token first (an explicit credential outranks an ambient one), then the
// session cookie.
Authenticators StandardAuthenticators(access::UserDirectory& users, access::SessionManager& sessions,
                                      const CookieOptions& cookie);

}  // namespace nysol::web
