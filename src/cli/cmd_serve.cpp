// `nysol serve --db FILE --port P [--secure-cookies]`: the web server: the web interface and the JSON API under
// /api/v1.
#include <fmt/format.h>

#include <iostream>
#include <thread>

#include "access/access_log.h"
#include "access/session_manager.h"
#include "access/user_directory.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/catalog.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "followup/live_snapshot.h"
#include "store/case_store.h"
#include "store/file_lock.h"
#include "web/api_routes.h"
#include "web/client_address.h"
#include "web/http_server.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/pipeline.h"
#include "web/session_routes.h"

namespace nysol::cli {

void RegisterServe(CLI::App& app, int* exit_code) {
  struct Options {
    std::string db;
    std::string address = "127.0.0.1";
    uint16_t port = 8080;
    int threads = 2;
    std::string rulebook;
    std::string catalog;
    bool secure_cookies = false;
    int suppress_below = 3;
    std::vector<std::string> trusted_proxies;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("serve", "Serve NySoL over HTTP");
  cmd->add_option("--db", options->db, "SQLite database file (created if missing)")->required();
  cmd->add_option("--address", options->address, "Address to listen on");
  cmd->add_option("--port", options->port, "Port")->check(CLI::Range(1, 65535));
  cmd->add_option("--threads", options->threads, "Server threads")->check(CLI::Range(1, 64));
  cmd->add_option("--rulebook", options->rulebook, "Rulebook file (default: rulebook/rulebook.json)");
  cmd->add_option("--catalog", options->catalog, "Intervention catalog (default: config/catalog.json)");
  cmd->add_option("--suppress-below", options->suppress_below,
                  "Follow-up figures: withhold counts below N (default 3; docs/SUPPRESSION.md)")
      ->check(CLI::Range(1, 100));
  cmd->add_flag("--secure-cookies", options->secure_cookies,
                "Behind a TLS proxy: mark the session cookie Secure and send Strict-Transport-Security");
  cmd->add_option("--trusted-proxy", options->trusted_proxies,
                  "Behind nginx: the proxy's address, whose X-Forwarded-For names the client (repeatable)");
  cmd->callback([options, exit_code] {
    std::vector<std::string> proxies;
    for (const auto& text : options->trusted_proxies) {
      auto address = web::CanonicalAddress(text);
      if (!address) {
        std::cerr << fmt::format("serve: --trusted-proxy '{}' is not an IP address\n", text);
        *exit_code = 2;
        return;
      }
      proxies.push_back(*address);
    }
    auto rulebook = LoadRulebook(options->rulebook);
    if (!rulebook.ok()) {
      std::cerr << "serve: " << rulebook.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    auto catalog = LoadCatalog(options->catalog, *rulebook);
    if (!catalog.ok()) {
      std::cerr << "serve: " << catalog.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    auto serving = store::FileLock::Serving(options->db);  // restore refuses to replace the file while held
    if (!serving.ok()) {
      std::cerr << "serve: " << serving.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    auto store = store::CaseStore::Open(options->db);
    if (!store.ok()) {
      std::cerr << "serve: " << store.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    SystemClock clock;
    access::UserDirectory users(options->db);
    access::AccessLog access_log(options->db);
    followup::LiveSnapshot followup(**store, options->suppress_below);
    web::AppServices services{**store, *rulebook, *catalog, clock, users, access_log, followup};
    web::Router router;
    web::RegisterApiRoutes(router, services);
    access::SessionManager sessions(options->db, users, clock);
    web::CookieOptions cookie{options->secure_cookies};
    web::RegisterSessionRoutes(router, sessions, cookie);
    web::pages::RegisterPageRoutes(router, services, sessions, cookie);
    web::Metrics metrics;
    web::RegisterMetricsRoute(router, metrics, **store, access_log);
    web::Pipeline pipeline(router, services, web::StandardAuthenticators(users, sessions, cookie));
    pipeline.SetPageError(web::pages::ErrorPage);
    pipeline.SetMetrics(&metrics);
    web::ServerOptions server;
    server.address = options->address;
    server.port = options->port;
    server.threads = options->threads;
    server.strict_transport_security = options->secure_cookies;
    server.trusted_proxies = proxies;
    // The follow-up snapshot reads the whole journal once (seconds for a large municipality); do it while the
    // server already answers, so the first dashboard does not wait for it.
    std::thread warm_up;
    *exit_code = web::Serve(
        server,
        web::AsyncRequestHandler([&pipeline](const web::HttpRequest& request, web::Respond respond) {
          pipeline.HandleAsync(request, std::move(respond));
        }),
        [&] {
          std::cerr << fmt::format("nysol: serving {} on http://{}:{} (rulebook {})\n", options->db,
                                   options->address, options->port, rulebook->version());
          warm_up = std::thread([&followup] { followup.CatchUp(); });
        });
    if (warm_up.joinable()) warm_up.join();
  });
}

}  // namespace nysol::cli
