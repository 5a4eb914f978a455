// `nysol migrate`, `nysol backup` and `nysol restore`: the operator's commands on a database as a whole
// (docs/OPERATIONS.md). The work is in store/backup.h; here only arguments, output and exit codes: 0 done,
// 2 refused (bad input, nothing written), 1 a broken database found on the way.
#include <fmt/format.h>

#include <iostream>
#include <string>

#include "cli/commands.h"
#include "store/backup.h"

namespace nysol::cli {
namespace {

int Fail(std::string_view command, const Status& status) {
  std::cerr << command << ": " << status.message() << "\n";
  return status.code() == ErrorCode::kInternal ? 1 : 2;
}

std::string Versions(const std::vector<int>& versions) {
  std::string out;
  for (int v : versions) out += fmt::format("{}{}", out.empty() ? "" : ",", v);
  return out;
}

std::string MigrationLine(const store::MigrateReport& report) {
  if (report.applied.empty()) return fmt::format("up to date at {}", report.to);
  return fmt::format("migrated: {} -> {} (applied {})", report.from, report.to, Versions(report.applied));
}

}  // namespace

void RegisterMigrate(CLI::App& app, int* exit_code) {
  auto db_path = std::make_shared<std::string>();
  auto* cmd =
      app.add_subcommand("migrate", "Apply pending schema migrations to a database (created if missing)");
  cmd->add_option("--db", *db_path, "SQLite database file or postgresql:// address")->required();
  cmd->callback([db_path, exit_code] {
    auto report = store::MigrateDatabase(*db_path);
    if (!report.ok()) {
      *exit_code = Fail("migrate", report.status());
      return;
    }
    std::cout << MigrationLine(*report) << "\n";
  });
}

void RegisterBackup(CLI::App& app, int* exit_code) {
  struct Options {
    std::string db;
    std::string to;
    bool force = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("backup", "Write a consistent, verified copy of a database while it is in use");
  cmd->add_option("--db", opts->db, "SQLite database file or postgresql:// address")->required();
  cmd->add_option("--to", opts->to, "The backup file to write")->required();
  cmd->add_flag("--force", opts->force, "Overwrite an existing backup file");
  cmd->callback([opts, exit_code] {
    auto report = store::BackupDatabase(opts->db, opts->to, opts->force);
    if (!report.ok()) {
      *exit_code = Fail("backup", report.status());
      return;
    }
    std::cout << fmt::format("backup ok: {} -> {}: {} events replayed, {} bytes\n", store::RedactAddress(opts->db), opts->to,
                             report->events, report->bytes);
  });
}

void RegisterRestore(CLI::App& app, int* exit_code) {
  struct Options {
    std::string from;
    std::string db;
    bool force = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("restore",
                                 "Check a backup and put it in place as the database; stop the server first");
  cmd->add_option("--from", opts->from, "The backup file")->required();
  cmd->add_option("--db", opts->db, "SQLite database file or postgresql:// address to create or, with --force, replace")->required();
  cmd->add_flag("--force", opts->force, "Replace an existing database file");
  cmd->callback([opts, exit_code] {
    auto report = store::RestoreDatabase(opts->from, opts->db, opts->force);
    if (!report.ok()) {
      *exit_code = Fail("restore", report.status());
      return;
    }
    std::cout << fmt::format("restore ok: {} -> {}: {} events replayed, {} bytes, {}\n", opts->from,
                             store::RedactAddress(opts->db),
                             report->events, report->bytes, MigrationLine(report->migrated));
  });
}

}  // namespace nysol::cli
