// `nysol replay --db FILE|postgresql://…`: rebuilds current state from the journal and checks it equals what is stored.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "store/backup.h"
#include "store/replay.h"

namespace nysol::cli {

void RegisterReplay(CLI::App& app, int* exit_code) {
  auto db_path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("replay", "Verify that the journal replays to the stored current state");
  cmd->add_option("--db", *db_path, "SQLite database file or postgresql:// address")->required()->check(ExistingDatabase());
  cmd->callback([db_path, exit_code] {
    auto db = store::OpenDb(*db_path);
    if (!db.ok()) {
      std::cerr << "replay: " << db.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    auto version = store::StoredSchemaVersion(**db, *db_path);
    if (!version.ok() || *version == 0) {
      std::cerr << "replay: "
                << (version.ok() ? fmt::format("'{}' is an empty database, not a NySoL database",
                                               store::RedactAddress(*db_path))
                                 : version.status().message())
                << "\n";
      *exit_code = 2;
      return;
    }
    Result<store::ReplayReport> report = Error(ErrorCode::kInternal, "not replayed");
    try {
      report = store::VerifyReplay(**db);
    } catch (const store::StoreError& e) {
      report = Error(ErrorCode::kInternal, e.what());
    }
    if (!report.ok()) {
      std::cerr << "replay: " << report.status().message() << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << fmt::format("ok: {} events replayed, {} rows identical\n", report->events, report->rows_compared);
  });
}

}  // namespace nysol::cli
