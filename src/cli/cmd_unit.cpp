// `nysol unit list --db FILE` and `nysol unit add --db FILE --code CODE --name NAME`: the municipality's units.
// A matter belongs to one unit and users work in one (inner confidentiality between units, 26 kap. OSL).
#include <fmt/format.h>

#include <iostream>

#include "access/user_directory.h"
#include "cli/commands.h"
#include "store/case_store.h"

namespace nysol::cli {

void RegisterUnit(CLI::App& app, int* exit_code) {
  struct Options {
    std::string db, code, name;
  };
  auto options = std::make_shared<Options>();
  auto* unit = app.add_subcommand("unit", "Manage the municipality's units");
  unit->require_subcommand(1);
  auto* list = unit->add_subcommand("list", "List the units: code and Swedish name, one per line");
  list->add_option("--db", options->db, "SQLite database file")->required();
  auto* add = unit->add_subcommand("add", "Add a unit");
  add->add_option("--db", options->db, "SQLite database file")->required();
  add->add_option("--code", options->code, "Code, e.g. familjeratt")->required();
  add->add_option("--name", options->name, "Swedish name, e.g. Familjerätt")->required();
  auto open = [options, exit_code](const char* what) -> bool {
    auto store = store::CaseStore::Open(options->db);  // creates and migrates the database if needed
    if (!store.ok()) {
      std::cerr << what << ": " << store.status().message() << "\n";
      *exit_code = 2;
    }
    return store.ok();
  };
  list->callback([options, open] {
    if (!open("unit list")) return;
    for (const auto& u : access::UserDirectory(options->db).Units()) std::cout << u.code << "\t" << u.name_sv << "\n";
  });
  add->callback([options, exit_code, open] {
    if (!open("unit add")) return;
    if (Status added = access::UserDirectory(options->db).AddUnit(options->code, options->name); !added.ok()) {
      std::cerr << "unit add: " << added.message() << "\n";
      *exit_code = 2;
    }
  });
}

}  // namespace nysol::cli
