// `nysol register barn-och-unga --db FILE --year YYYY --municipality NNNN [--by NAME] [--output FILE]`: the
// yearly file for Socialstyrelsen's register of interventions for children and young people (HSLF-FS
// 2016:22), from the journal (docs/NATIONAL-REPORTING.md). It names individuals, so every person in it is
// written to the access log under the name of whoever ran it.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "access/access_log.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/clock.h"
#include "followup/register_barn_unga.h"
#include "store/case_store.h"

namespace nysol::cli {

void RegisterRegister(CLI::App& app, int* exit_code) {
  struct Options {
    std::string db;
    int year = 0;
    std::string municipality;
    std::string by;
    std::string output;
  };
  auto options = std::make_shared<Options>();
  auto* reg = app.add_subcommand("register", "Files for Socialstyrelsen's registers");
  reg->require_subcommand(1);
  auto* children = reg->add_subcommand(
      "barn-och-unga",
      "Placements of children and young people during a year (HSLF-FS 2016:22), one per line");
  children->add_option("--db", options->db, "The database")->required()->check(ExistingDatabase());
  children->add_option("--year", options->year, "The statistics year (the previous calendar year)")
      ->required()
      ->check(CLI::Range(2013, 2100));
  children->add_option("--municipality", options->municipality, "The municipality's four-digit code (SCB)")
      ->required();
  children->add_option("--by", options->by, "Who makes the file, for the access log (default: $USER)");
  children->add_option("--output", options->output, "Write to this file instead of standard output");
  children->callback([options, exit_code] {
    auto fail = [exit_code](const std::string& message) {
      std::cerr << "register barn-och-unga: " << message << "\n";
      *exit_code = 2;
    };
    const std::string& code = options->municipality;
    if (code.size() != 4 || code.find_first_not_of("0123456789") != std::string::npos) {
      return fail("--municipality must be four digits (SCB's municipality code, e.g. 0180)");
    }
    std::string by = options->by;
    if (by.empty() && std::getenv("USER")) by = std::getenv("USER");
    if (by.empty()) return fail("--by is required when $USER is not set");
    auto db = store::OpenDb(options->db);
    if (!db.ok()) return fail(db.status().message());
    auto records = followup::PlacementsInYear(**db, options->year);

    // Logged before anything is written out: personal data never leaves unlogged.
    access::Principal who;
    who.username = by;
    who.unit = "register";
    std::vector<access::AccessRecord> read;
    for (const auto& r : records) read.push_back({"read", r.person_id, std::nullopt, false, false});
    access::AccessLog log(options->db);
    auto logged =
        log.Append(who, FormatUtc(SystemClock().Now()), "nysol register barn-och-unga", "local", read);
    if (!logged.ok()) return fail(fmt::format("the access log cannot be written: {}", logged.message()));

    std::string file = followup::PlacementFile(records, code, options->year);
    if (options->output.empty()) {
      std::cout << file;
    } else {
      std::ofstream out(options->output, std::ios::binary);
      out << file;
      if (!out) return fail(fmt::format("cannot write {}", options->output));
    }
    std::cerr << fmt::format("register barn-och-unga: {} placements, {} logged as read by {}\n",
                             records.size(), read.size(), by);
    *exit_code = 0;
  });
}

}  // namespace nysol::cli
