// `nysol catalog export --format csv|json [--db FILE] [--on YYYY-MM-DD]`: the intervention catalog with each
// item's mode on the day (first_line: offered without needs assessment by a committee decision, 11 kap. 5 §
// SoL; individual; assessment_required) and the decision that applies. Decisions come from the database
// (default data/demo.db, the README's demo, when it exists); without one, no item is open for the first line.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/catalog.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "store/case_store.h"
#include "web/catalog_routes.h"

namespace nysol::cli {
namespace {

using nlohmann::json;

// RFC 4180: a field with a comma, quote or line break is quoted, and quotes inside are doubled.
std::string CsvField(const json& value) {
  std::string text = value.is_null() ? "" : value.is_string() ? value.get<std::string>() : value.dump();
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void PrintCsv(const json& items) {
  static const char* kColumns[] = {"code", "name_sv", "responsible_unit", "provider", "knowledge_basis",
                                   "delivery_modes", "unit_cost_sek", "mode", "decision_id", "decided_on",
                                   "minutes_paragraph", "dnr", "valid_from", "valid_to", "identity_exempt"};
  std::string header;
  for (const char* column : kColumns) header += (header.empty() ? "" : ",") + std::string(column);
  std::cout << header << "\r\n";
  for (const auto& item : items) {
    const json& d = item["decision"];
    std::string modes;
    for (const auto& m : item["delivery_modes"]) modes += (modes.empty() ? "" : " ") + m.get<std::string>();
    json row[] = {item["code"], item["name_sv"], item["responsible_unit"], item["provider"]["kind"],
                  item["knowledge_basis"], modes, item["unit_cost_sek"], item["mode"],
                  d.is_null() ? json() : d["id"], d.is_null() ? json() : d["decided_on"],
                  d.is_null() ? json() : d["minutes_paragraph"], d.is_null() ? json() : d["dnr"],
                  d.is_null() ? json() : d["valid_from"], d.is_null() ? json() : d["valid_to"],
                  d.is_null() ? json() : d["identity_exempt"]};
    std::string line;
    for (size_t i = 0; i < std::size(row); ++i) line += (i ? "," : "") + CsvField(row[i]);
    std::cout << line << "\r\n";
  }
}

}  // namespace

void RegisterCatalog(CLI::App& app, int* exit_code) {
  struct Options {
    std::string format = "csv";
    std::string db = "data/demo.db";
    std::string on;
    std::string catalog;
    std::string rulebook;
  };
  auto options = std::make_shared<Options>();
  auto* catalog = app.add_subcommand("catalog", "The intervention catalog (insatskatalog)");
  catalog->require_subcommand(1);
  auto* exported = catalog->add_subcommand("export", "Print the catalog with each item's mode and decision");
  exported->add_option("--format", options->format, "csv (RFC 4180, header row) or json")
      ->check(CLI::IsMember({"csv", "json"}));
  exported->add_option("--db", options->db, "Database with the committee's decisions (default data/demo.db)");
  exported->add_option("--on", options->on, "The day (YYYY-MM-DD; default today, Stockholm)");
  exported->add_option("--catalog", options->catalog, "Catalog file (default config/catalog.json)");
  exported->add_option("--rulebook", options->rulebook, "Rulebook file (default rulebook/rulebook.json)");
  exported->callback([options, exit_code] {
    auto fail = [exit_code](const std::string& message) {
      std::cerr << "catalog export: " << message << "\n";
      *exit_code = 2;
    };
    auto rulebook = LoadRulebook(options->rulebook);
    if (!rulebook.ok()) return fail(rulebook.status().message());
    auto loaded = LoadCatalog(options->catalog, *rulebook);
    if (!loaded.ok()) return fail(loaded.status().message());
    Date on = ToStockholm(SystemClock().Now()).date;
    if (!options->on.empty()) {
      auto parsed = ParseDate(options->on);
      if (!parsed.ok()) return fail(fmt::format("--on: {}", parsed.status().message()));
      on = *parsed;
    }
    std::vector<store::CommitteeDecisionRow> decisions;
    // Never create a database file just to read from it.
    if (store::IsPostgresAddress(options->db) || std::filesystem::exists(options->db)) {
      auto store = store::CaseStore::Open(options->db);
      if (!store.ok()) return fail(store.status().message());
      decisions = (*store)->CommitteeDecisions(on);
    }
    json items = web::CatalogEntries(*loaded, decisions, on, false);
    if (options->format == "json") {
      std::cout << json{{"catalog_version", loaded->version()}, {"date", FormatDate(on)}, {"items", items}}.dump(2)
                << "\n";
    } else {
      PrintCsv(items);
    }
    *exit_code = 0;
  });
}

}  // namespace nysol::cli
