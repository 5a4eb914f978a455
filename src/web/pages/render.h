// Pages from mustache templates (templates/*.mustache) and plain JSON views: every page is the layout
// (layout.mustache: header, navigation, main) around one page template. Templates whose names start with '_'
// are partials ({{> _clock}}). Values are HTML-escaped unless a template asks otherwise ({{{…}}}), which only
// the layout does, for the page it wraps.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"
#include "web/http_message.h"
#include "web/router.h"

namespace nysol::web::pages {

// The template `name` (without ".mustache") rendered with `view`. Throws std::logic_error for a template that
// does not exist or does not parse: a bug, caught by the tests that render every page.
std::string RenderTemplate(std::string_view name, const nlohmann::json& view);

// A whole page for the logged-in user of `ctx`: the layout with the user's name, role, navigation and the
// session's CSRF token, around the template `name`.
HttpResponse Page(const RequestContext& ctx, int status, std::string_view title, std::string_view name,
                  nlohmann::json view);
// A page for someone not logged in (the login page, the error pages).
HttpResponse PublicPage(int status, std::string_view title, std::string_view name, nlohmann::json view);
// A piece of a page for htmx to put in place (no layout).
HttpResponse Fragment(std::string_view name, const nlohmann::json& view);

// A response with this body and content type (no personal data caching: see HttpResponse::cache_control).
HttpResponse TextResponse(int status, std::string_view content_type, std::string body);

// 303 See Other: after a form post the browser shows `location`, and reloading it does not post again.
HttpResponse SeeOther(std::string location);

// A refusal as a page in Swedish, with the technical detail below it (Pipeline::SetPageError).
HttpResponse ErrorPage(const HttpRequest& request, const Status& status);

// A refusal shown on a form: {message, detail}. A form's own check speaks Swedish already (`in_swedish`);
// a command's refusal gets the Swedish sentence for its kind, with the command's precise message as detail.
nlohmann::json ErrorView(const Status& status, bool in_swedish);

// A posted form's field (the first of that name), or "" when it is absent.
std::string FormValue(const std::multimap<std::string, std::string>& form, const std::string& key);

// The session's CSRF token for forms, or "" when the request did not come with a session cookie.
std::string CsrfToken(const RequestContext& ctx);

}  // namespace nysol::web::pages
