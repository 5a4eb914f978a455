// `nysol user add --db FILE --username U --name NAME --unit UNIT --role ROLE`: creates a user and prints its
// API token once (it is stored only as a hash).
#include <iostream>

#include "access/user_directory.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "store/case_store.h"

namespace nysol::cli {

void RegisterUser(CLI::App& app, int* exit_code) {
  struct Options {
    std::string db, username, name, unit, role;
  };
  auto options = std::make_shared<Options>();
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create a user and print its API token");
  add->add_option("--db", options->db, "SQLite database file")->required();
  add->add_option("--username", options->username, "Login name")->required();
  add->add_option("--name", options->name, "Display name")->required();
  add->add_option("--unit", options->unit, "Unit, e.g. barn-och-unga")->required();
  add->add_option("--role", options->role, "case_worker | team_lead | intake | analyst | committee | admin")->required();
  add->callback([options, exit_code] {
    access::Role role;
    if (!access::ParseRole(options->role, &role)) {
      std::cerr << "user add: unknown role '" << options->role << "'\n";
      *exit_code = 2;
      return;
    }
    auto store = store::CaseStore::Open(options->db);  // creates and migrates the database if needed
    if (!store.ok()) {
      std::cerr << "user add: " << store.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    access::UserDirectory users(options->db);
    auto token = users.AddUser(options->username, options->name, options->unit, role, FormatUtc(SystemClock().Now()));
    if (!token.ok()) {
      std::cerr << "user add: " << token.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    std::cout << *token << "\n";
  });
}

}  // namespace nysol::cli
