// The web interface for case work (docs/USABILITY.md): server-rendered pages in Swedish that work without
// JavaScript; htmx and static/app.js only improve them (live checks, autosave). Every page goes through the
// same pipeline as the API: login, deny by default, the access log.
//
//   GET  /login, POST /login, POST /logout       login_pages.cpp
//   GET  /                                       start_page.cpp: the start page for the user's role
//   GET  /reports/new, POST /reports/new         report_pages.cpp: register a report of concern
//   GET  /reports/identity-check                 report_pages.cpp: the live check of an identity number
//   GET  /matters/{id}, POST /matters/{id}/…     matter_pages.cpp: the matter, its clocks, steps and notes
//   GET  /matters/{id}/decisions/{d}/letter      letter_page.cpp: the decision letter
//   GET  /search                                 search_page.cpp: by identity number or name
//   POST /drafts                                 draft_routes.cpp: autosave of text being written
//   GET  /first-line/new, POST /first-line/new   first_line_pages.cpp: register first-line participation
//   GET  /services                               first_line_pages.cpp: public list of first-line services
//   GET  /committee/decisions, POST …             committee_pages.cpp: the committee's 11 kap. 5 § decisions
//   GET  /follow-up                              followup_page.cpp: the follow-up dashboard with charts
//   GET  /planning                               planning_page.cpp: a scenario against today (the simulator)
//   GET  /static/{file}                          static files (CSS, JavaScript, htmx)
#pragma once

#include "access/session_manager.h"
#include "web/cookie.h"
#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web::pages {

// All of the above. `services` and `sessions` must outlive the router.
void RegisterPageRoutes(Router& router, const AppServices& services, access::SessionManager& sessions,
                        const CookieOptions& cookie);

void RegisterLoginPages(Router& router, access::SessionManager& sessions, const CookieOptions& cookie);
void RegisterStartPage(Router& router, const AppServices& services);
void RegisterReportPages(Router& router, const AppServices& services);
void RegisterMatterPages(Router& router, const AppServices& services);
void RegisterLetterPage(Router& router, const AppServices& services);
void RegisterSearchPage(Router& router, const AppServices& services);
void RegisterDraftRoutes(Router& router, const AppServices& services);
void RegisterFirstLinePages(Router& router, const AppServices& services);
void RegisterCommitteePages(Router& router, const AppServices& services);
void RegisterFollowUpPage(Router& router, const AppServices& services);
void RegisterPlanningPage(Router& router, const AppServices& services);
void RegisterStaticFiles(Router& router);

// A page route: refusals as pages, no login sends to the login page.
Route PageRoute(std::string method, std::string pattern, std::string summary,
                std::optional<access::Permission> permission, bool personal_data, Handler handler);

}  // namespace nysol::web::pages
