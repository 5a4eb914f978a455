// `nysol demo --persons N --years Y --seed S --db FILE [--end YYYY-MM-DD]`: creates a synthetic municipality.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "access/session_manager.h"
#include "access/user_directory.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/catalog.h"
#include "core/clock.h"
#include "store/backup.h"
#include "store/case_store.h"
#include "synth/first_line.h"
#include "synth/municipality.h"

namespace nysol::cli {

void RegisterDemo(CLI::App& app, int* exit_code) {
  struct Options {
    int persons = 20000;
    int years = 5;
    uint64_t seed = 1;
    std::string db;
    std::string end;
    std::string rulebook;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("demo", "Create a synthetic municipality in a new database");
  cmd->add_option("--persons", options->persons, "Persons on record at the end (about)")->check(CLI::Range(10, 2000000));
  cmd->add_option("--years", options->years, "Years of history")->check(CLI::Range(1, 30));
  cmd->add_option("--seed", options->seed, "Random seed (same seed, same municipality)");
  cmd->add_option("--db", options->db, "SQLite database file to create, or an empty PostgreSQL database (postgresql://…)")->required();
  cmd->add_option("--end", options->end, "Last simulated day, YYYY-MM-DD (default: today)");
  cmd->add_option("--rulebook", options->rulebook, "Rulebook file (default: rulebook/rulebook.json)");
  cmd->callback([options, exit_code] {
    auto rulebook = LoadRulebook(options->rulebook);
    if (!rulebook.ok()) {
      std::cerr << "demo: " << rulebook.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    SystemClock clock;
    Date end = ToStockholm(clock.Now()).date;
    if (!options->end.empty()) {
      auto parsed = ParseDate(options->end);
      if (!parsed.ok()) {
        std::cerr << "demo: --end: " << parsed.status().message() << "\n";
        *exit_code = 2;
        return;
      }
      end = *parsed;
    }
    // On PostgreSQL the demo is generated in a SQLite file first and copied in with COPY at the end
    // (nysol restore's path): one round trip per statement would make the load many times slower.
    const bool postgres = store::IsPostgresAddress(options->db);
    std::string db = options->db;
    if (postgres) {
      auto target = store::OpenDb(options->db);
      auto version = target.ok() ? store::StoredSchemaVersion(**target, options->db) : Result<int>(target.status());
      if (!version.ok() || *version != 0) {
        std::cerr << "demo: "
                  << (version.ok() ? store::RedactAddress(options->db) + " is not empty; the demo writes a new database only"
                                   : version.status().message())
                  << "\n";
        *exit_code = 2;
        return;
      }
      db = (std::filesystem::temp_directory_path() / fmt::format("nysol-demo-{}.db", getpid())).string();
      std::filesystem::remove(db);
    } else if (std::filesystem::exists(options->db)) {
      std::cerr << "demo: " << options->db << " already exists; the demo writes a new database only\n";
      *exit_code = 2;
      return;
    }
    auto store = store::CaseStore::Open(db);
    if (!store.ok()) {
      std::cerr << "demo: " << store.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    auto catalog = Catalog::Load(Catalog::DefaultPath(), *rulebook);
    if (!catalog.ok()) {
      std::cerr << "demo: " << catalog.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    auto started = std::chrono::steady_clock::now();
    synth::MunicipalityOptions generate{options->persons, options->years, options->seed, end};
    synth::FirstLineStats first_line;
    auto stats = synth::GenerateMunicipality(
        **store, *rulebook, generate,
        [](Date day) {
          if (static_cast<unsigned>(day.month()) == 1 && static_cast<unsigned>(day.day()) <= 30) {
            std::cerr << "demo: " << FormatDate(day) << "\n";
          }
        },
        &*catalog, &first_line);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    access::UserDirectory users(db);
    access::SessionManager sessions(db, users, clock);  // sets the demo users' passwords
    std::string created = FormatUtc(clock.Now());
    std::cout << fmt::format(
        "{{\"persons\":{},\"child_reports\":{},\"applications\":{},\"commands\":{},\"refused_commands\":{},"
        "\"events\":{},\"implied_children\":{},\"committee_decisions\":{},\"first_line_registrations\":{},"
        "\"seconds\":{:.2f}}}\n",
        stats.persons, stats.child_reports, stats.applications, stats.commands,
        stats.refused_commands + first_line.refused, stats.events, stats.implied_children,
        first_line.committee_decisions, first_line.registrations, seconds);
    for (const auto& user : synth::DemoUsers()) {
      auto token = users.AddUser(user.username, user.name, user.unit, user.role, created);
      if (token.ok() && user.protected_data_access) {
        if (auto set = users.SetProtectedDataAccess(user.username, true); !set.ok()) token = set;
      }
      if (!token.ok()) {
        std::cerr << "demo: " << token.status().message() << "\n";
        *exit_code = 1;
        return;
      }
      std::string password = access::GeneratePassword();
      if (Status set = sessions.SetPassword(user.username, password); !set.ok()) {
        std::cerr << "demo: " << set.message() << "\n";
        *exit_code = 1;
        return;
      }
      std::cerr << fmt::format("demo user {:<17} {:<12} token {} password {}\n", user.username,
                               access::RoleName(user.role), *token, password);
    }
    if (postgres) {
      store->reset();
      {
        // The users' and sessions' connections stay open; the backup must be one file, its log emptied.
        auto flush = store::OpenDb(db);
        if (flush.ok()) (*flush)->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      auto copied = store::RestoreDatabase(db, options->db, false);
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
      if (!copied.ok()) {
        std::cerr << "demo: " << copied.status().message() << "\n";
        *exit_code = 1;
        return;
      }
      std::cerr << fmt::format("demo: copied into {} ({} events replayed there)\n",
                               store::RedactAddress(options->db), copied->events);
    }
    *exit_code = stats.refused_commands == 0 && first_line.refused == 0 ? 0 : 1;
  });
}

}  // namespace nysol::cli
