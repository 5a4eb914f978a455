#include "web/pages/page_routes.h"

#include "web/pages/assets.h"
#include "web/pages/render.h"

namespace nysol::web::pages {

Route PageRoute(std::string method, std::string pattern, std::string summary,
                std::optional<access::Permission> permission, bool personal_data, Handler handler) {
  Route route{std::move(method), std::move(pattern), std::move(summary), permission, personal_data,
              std::move(handler)};
  route.page = true;
  return route;
}

void RegisterStaticFiles(Router& router) {
  router.Add(PageRoute("GET", "/static/{file}", "The web interface's CSS, JavaScript, htmx and uPlot", std::nullopt, false,
              [](RequestContext& ctx) {
                const std::string& file = ctx.params.at("file");
                static const std::map<std::string, std::string, std::less<>> kTypes = {
                    {"app.css", "text/css; charset=utf-8"},
                    {"app.js", "text/javascript; charset=utf-8"},
                    {"htmx.min.js", "text/javascript; charset=utf-8"},
                    {"followup.js", "text/javascript; charset=utf-8"},
                    {"uPlot.iife.min.js", "text/javascript; charset=utf-8"},
                    {"uPlot.min.css", "text/css; charset=utf-8"},
                    {"favicon.svg", "image/svg+xml"}};
                auto type = kTypes.find(file);
                auto text = type == kTypes.end() ? std::nullopt : FindAsset(file);
                if (!text) return TextResponse(404, "text/plain; charset=utf-8", "not found");
                HttpResponse response = TextResponse(200, type->second, std::string(*text));
                // No personal data here: the browser may keep these for an hour between page loads.
                response.cache_control = "public, max-age=3600";
                return response;
              }));
}

void RegisterPageRoutes(Router& router, const AppServices& services, access::SessionManager& sessions,
                        const CookieOptions& cookie) {
  RegisterLoginPages(router, sessions, cookie);
  RegisterStartPage(router, services);
  RegisterReportPages(router, services);
  RegisterMatterPages(router, services);
  RegisterLetterPage(router, services);
  RegisterSearchPage(router, services);
  RegisterDraftRoutes(router, services);
  RegisterFirstLinePages(router, services);
  RegisterCommitteePages(router, services);
  RegisterFollowUpPage(router, services);
  RegisterPlanningPage(router, services);
  RegisterStaticFiles(router);
}

}  // namespace nysol::web::pages
