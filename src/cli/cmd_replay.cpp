// `nysol replay --db FILE`: rebuilds current state from the journal and checks it equals what is stored.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "store/replay.h"

namespace nysol::cli {

void RegisterReplay(CLI::App& app, int* exit_code) {
  auto db_path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("replay", "Verify that the journal replays to the stored current state");
  cmd->add_option("--db", *db_path, "SQLite database file")->required()->check(CLI::ExistingFile);
  cmd->callback([db_path, exit_code] {
    auto db = store::OpenDb(*db_path);
    if (!db.ok()) {
      std::cerr << "replay: " << db.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    auto report = store::VerifyReplay(**db);
    if (!report.ok()) {
      std::cerr << "replay: " << report.status().message() << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << fmt::format("ok: {} events replayed, {} rows identical\n", report->events, report->rows_compared);
  });
}

}  // namespace nysol::cli
