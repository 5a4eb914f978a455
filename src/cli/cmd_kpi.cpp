// `nysol kpi --db FILE --from DATE --to DATE --format json|csv|xlsx`: every follow-up measure for a period,
// counted from the journal (docs/FOLLOW-UP.md), with small cells withheld (docs/SUPPRESSION.md).
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "access/access_log.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/catalog.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "followup/export.h"
#include "followup/measures.h"
#include "followup/publish.h"
#include "store/db.h"

namespace nysol::cli {

void RegisterKpi(CLI::App& app, int* exit_code) {
  struct Options {
    std::string db;
    std::string from;
    std::string to;
    std::string format = "json";
    std::string output;
    std::string unit;
    int suppress_below = 3;
    bool not_executed = false;
    std::string by;
    std::string catalog;
    std::string rulebook;
  };
  auto options = std::make_shared<Options>();
  auto* kpi = app.add_subcommand("kpi", "Follow-up measures for a period, from the journal");
  kpi->add_option("--db", options->db, "The database")->required();
  kpi->add_option("--from", options->from, "First day of the period (YYYY-MM-DD)")->required();
  kpi->add_option("--to", options->to, "Last day of the period (YYYY-MM-DD); the queue is counted on it")
      ->required();
  kpi->add_option("--format", options->format, "json, csv (Swedish Excel) or xlsx (needs --output)")
      ->check(CLI::IsMember({"json", "csv", "xlsx"}));
  kpi->add_option("--output", options->output, "Write to this file instead of standard output");
  kpi->add_option("--unit", options->unit, "Only this unit (its code, e.g. utredning-barn)");
  kpi->add_option("--suppress-below", options->suppress_below,
                  "Withhold counts below N (default 3); 0 withholds nothing: for internal use only")
      ->check(CLI::Range(0, 100));
  kpi->add_flag("--not-executed", options->not_executed,
                "Add the decisions not carried out within three months, one per decision (34 kap. 1 § SoL, "
                "the report to IVO)");
  kpi->add_option("--by", options->by,
                  "With --not-executed: who makes the list, for the access log (default: $USER)");
  kpi->add_option("--catalog", options->catalog, "Catalog file (default config/catalog.json)");
  kpi->add_option("--rulebook", options->rulebook, "Rulebook file (default rulebook/rulebook.json)");
  kpi->callback([options, exit_code] {
    auto fail = [exit_code](const std::string& message) {
      std::cerr << "kpi: " << message << "\n";
      *exit_code = 2;
    };
    auto from = ParseDate(options->from);
    if (!from.ok()) return fail(fmt::format("--from: {}", from.status().message()));
    auto to = ParseDate(options->to);
    if (!to.ok()) return fail(fmt::format("--to: {}", to.status().message()));
    if (*to < *from) return fail("--to is before --from");
    if (options->format == "xlsx" && options->output.empty())
      return fail("--format xlsx needs --output FILE");
    if (!store::IsPostgresAddress(options->db) && !std::filesystem::exists(options->db)) return fail(fmt::format("no database at {}", options->db));
    auto inputs = LoadJournalInputs(options->db, options->rulebook, options->catalog);
    if (!inputs.ok()) return fail(inputs.status().message());
    followup::MeasureContext context{inputs->rulebook, &inputs->catalog, followup::UnitNames(*inputs->db)};
    followup::MeasureRequest request{*from, *to, std::nullopt, options->not_executed};
    if (!options->unit.empty()) {
      if (!context.unit_names.count(options->unit)) return fail(fmt::format("no unit '{}'", options->unit));
      request.unit = options->unit;
    }
    followup::Report report = followup::Measure(inputs->snapshot, request, context);
    if (options->suppress_below == 0)
      std::cerr << "kpi: nothing withheld (--suppress-below 0): internal use only\n";
    followup::SuppressReport(report, options->suppress_below);
    if (!report.not_executed.empty()) {
      // The list names individual decisions: each person in it is logged before anything is written out.
      std::string by = options->by;
      if (by.empty() && std::getenv("USER")) by = std::getenv("USER");
      if (by.empty()) return fail("--by is required with --not-executed when $USER is not set");
      access::Principal who;
      who.username = by;
      who.unit = "uppfoljning";
      std::vector<access::AccessRecord> read;
      for (const auto& d : report.not_executed)
        read.push_back({"read", d.person_id, std::nullopt, false, false});
      auto logged =
          access::AccessLog(options->db)
              .Append(who, FormatUtc(SystemClock().Now()), "nysol kpi --not-executed", "local", read);
      if (!logged.ok()) return fail(fmt::format("the access log cannot be written: {}", logged.message()));
    }

    if (options->format == "xlsx") {
      std::string error;
      if (!followup::WriteReportXlsx(report, options->output, &error)) return fail(error);
      *exit_code = 0;
      return;
    }
    std::string text = options->format == "csv" ? followup::ReportCsv(report) : followup::ReportJson(report);
    if (options->output.empty()) {
      std::cout << text;
    } else {
      std::ofstream out(options->output, std::ios::binary);
      out << text;
      if (!out) return fail(fmt::format("cannot write {}", options->output));
    }
    *exit_code = 0;
  });
}

}  // namespace nysol::cli
