// `nysol gallra --db FILE [--dry-run] [--on YYYY-MM-DD] [--format text|json] [--by NAME] [--unit UNIT]
// [--rulebook PATH] [--config PATH]`: gallring under 16 kap. SoL. With --dry-run, lists whose records would
// be removed on the day and why; without it, removes them in one audited transaction (docs/RETENTION.md).
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/clock.h"
#include "core/rulebook.h"
#include "retention/removal.h"
#include "retention/settings.h"
#include "store/case_store.h"

namespace nysol::cli {
namespace {

using nlohmann::json;

struct GallraArgs {
  std::string db;
  bool dry_run = false;
  std::string on;
  bool on_given = false;  // --on "" is an error, not "today"
  std::string format = "text";
  std::string by;
  std::string unit = "gallring";
  std::string rulebook_path;
  std::string config_path;
};

std::string OptDateText(const std::optional<Date>& date) { return date ? FormatDate(*date) : "-"; }

json DecisionJson(int64_t person_id, const retention::Decision& d, Date on) {
  json out{{"person_id", person_id},
           {"rule", d.rule},
           {"law_ref", d.law_ref},
           {"reason", d.reason},
           {"last_entry", d.last_entry ? json(FormatDate(*d.last_entry)) : json(nullptr)},
           {"removable_from", d.removable_from ? json(FormatDate(*d.removable_from)) : json(nullptr)},
           {"due_by", d.due_by ? json(FormatDate(*d.due_by)) : json(nullptr)}};
  out["overdue"] = d.due_by && std::chrono::sys_days{on} > std::chrono::sys_days{*d.due_by};
  return out;
}

std::string DecisionLine(int64_t person_id, const retention::Decision& d, Date on) {
  const bool overdue = d.due_by && std::chrono::sys_days{on} > std::chrono::sys_days{*d.due_by};
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}{}", person_id, d.rule, d.law_ref, OptDateText(d.last_entry),
                     OptDateText(d.removable_from), OptDateText(d.due_by), overdue ? "\toverdue" : "");
}

void PrintHeader(const retention::Survey& survey, const Rulebook& book, const retention::Settings& settings,
                 size_t due) {
  std::string kept;
  for (const auto& [rule, count] : survey.kept_by_rule)
    kept += fmt::format("{}{} {}", kept.empty() ? "" : ", ", rule, count);
  std::cout << fmt::format("rulebook {}; research municipality: {}; research sample birth days: {}\n",
                           book.version(), settings.research_municipality ? "yes" : "no",
                           settings.SampleDaysText().empty() ? "-" : settings.SampleDaysText());
  std::cout << fmt::format("{} persons evaluated, {} kept ({}), {} {}\n", survey.persons,
                           survey.persons - static_cast<int64_t>(due), kept.empty() ? "-" : kept, due,
                           "due for removal");
}

// Exit codes: 0 done, 1 the rulebook, the settings or the database failed, 2 a bad argument.
int RunGallra(const GallraArgs& args) {
  const LocalDateTime now = ToStockholm(SystemClock().Now());
  Date on = now.date;
  if (args.on_given) {
    auto parsed = ParseDate(args.on);
    if (!parsed.ok()) {
      std::cerr << "gallra: --on: " << parsed.status().message() << "\n";
      return 2;
    }
    on = *parsed;
  }
  if (!args.dry_run && std::chrono::sys_days{on} > std::chrono::sys_days{now.date}) {
    std::cerr << fmt::format(
        "gallra: --on {} is after today ({}): records are not removed ahead of time; use --dry-run to see "
        "what "
        "that day would remove\n",
        FormatDate(on), FormatDate(now.date));
    return 2;
  }
  std::string by = args.by;
  if (by.empty()) {
    const char* user = std::getenv("USER");
    if (user == nullptr || user[0] == '\0') user = std::getenv("LOGNAME");
    if (user != nullptr) by = user;
  }
  if (!args.dry_run && by.empty()) {
    std::cerr << "gallra: say who runs the removal with --by NAME (it is recorded with the run)\n";
    return 2;
  }

  auto book = LoadRulebook(args.rulebook_path);
  if (!book.ok()) {
    std::cerr << "gallra: " << book.status().message() << "\n";
    return 1;
  }
  auto settings =
      retention::LoadSettings(args.config_path.empty() ? retention::DefaultSettingsPath() : args.config_path);
  if (!settings.ok()) {
    std::cerr << "gallra: " << settings.status().message() << "\n";
    return 1;
  }
  auto db = store::OpenDb(args.db);
  if (!db.ok()) {
    std::cerr << "gallra: " << db.status().message() << "\n";
    return 1;
  }

  try {
    if (args.dry_run) {
      // Reads only: no migration, no run recorded, nothing logged (the output holds ids and dates only).
      auto survey = retention::SurveyPersons(**db, *book, *settings, on);
      if (!survey.ok()) {
        std::cerr << "gallra: " << survey.status().message() << "\n";
        return 2;
      }
      if (args.format == "json") {
        json out{{"on", FormatDate(on)},
                 {"dry_run", true},
                 {"rulebook_version", book->version()},
                 {"settings",
                  {{"research_municipality", settings->research_municipality},
                   {"research_sample_birth_days", settings->research_sample_birth_days}}},
                 {"persons_evaluated", survey->persons},
                 {"kept_by_rule", survey->kept_by_rule},
                 {"due", json::array()}};
        for (const auto& due : survey->due)
          out["due"].push_back(DecisionJson(due.person_id, due.decision, on));
        std::cout << out.dump(2) << "\n";
        return 0;
      }
      std::cout << fmt::format("gallra {} (dry run: nothing is removed)\n", FormatDate(on));
      PrintHeader(*survey, *book, *settings, survey->due.size());
      if (!survey->due.empty()) std::cout << "person_id\trule\tlaw\tlast_entry\tremovable_from\tdue_by\n";
      for (const auto& due : survey->due) std::cout << DecisionLine(due.person_id, due.decision, on) << "\n";
      return 0;
    }

    store::Migrate(**db);  // migration 5 holds the trigger that lets the run delete
    auto report = retention::RunRemoval(**db, *book, *settings, {by, args.unit, now, on});
    if (!report.ok()) {
      std::cerr << "gallra: " << report.status().message() << " (nothing was removed)\n";
      return 2;
    }
    if (args.format == "json") {
      json out{{"on", FormatDate(on)},
               {"dry_run", false},
               {"run_id", report->run_id},
               {"by", by},
               {"rulebook_version", book->version()},
               {"settings",
                {{"research_municipality", settings->research_municipality},
                 {"research_sample_birth_days", settings->research_sample_birth_days}}},
               {"persons_evaluated", report->survey.persons},
               {"kept_by_rule", report->survey.kept_by_rule},
               {"events_removed", report->events_removed},
               {"removed", json::array()}};
      for (const auto& removed : report->removed) {
        json item = DecisionJson(removed.person_id, removed.decision, on);
        item["removed"] = removed.counts.ToJson();
        out["removed"].push_back(std::move(item));
      }
      std::cout << out.dump(2) << "\n";
      return 0;
    }
    std::cout << fmt::format("gallra {}: run {} by {}\n", FormatDate(on), report->run_id, by);
    PrintHeader(report->survey, *book, *settings, report->removed.size());
    std::cout << fmt::format("removed {} persons and {} journal events\n", report->removed.size(),
                             report->events_removed);
    if (!report->removed.empty()) std::cout << "person_id\trule\tlaw\tlast_entry\tremovable_from\tdue_by\n";
    for (const auto& removed : report->removed) {
      std::cout << DecisionLine(removed.person_id, removed.decision, on) << "\n";
    }
    return 0;
  } catch (const store::StoreError& e) {
    std::cerr << "gallra: " << e.what() << " (nothing was removed)\n";
    return 1;
  }
}

}  // namespace

void RegisterGallra(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<GallraArgs>();
  auto* cmd =
      app.add_subcommand("gallra", "Gallring (16 kap. SoL): remove records whose retention has ended");
  cmd->add_option("--db", args->db, "SQLite database file or postgresql:// address")->required()->check(ExistingDatabase());
  cmd->add_flag("--dry-run", args->dry_run, "Only list what would be removed, and why");
  auto* on = cmd->add_option("--on", args->on,
                             "The day to apply the rules for, YYYY-MM-DD (default: today in Stockholm)");
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--by", args->by, "Who runs the removal, recorded with it (default: $USER)");
  cmd->add_option("--unit", args->unit, "The unit recorded with the run (default: gallring)");
  cmd->add_option("--rulebook", args->rulebook_path,
                  "Rulebook file (default: $NYSOL_RULEBOOK or the source tree's)");
  cmd->add_option("--config", args->config_path,
                  "Retention settings (default: $NYSOL_RETENTION_CONFIG or config/retention.json)");
  cmd->callback([args, on, exit_code] {
    args->on_given = on->count() > 0;
    *exit_code = RunGallra(*args);
  });
}

}  // namespace nysol::cli
