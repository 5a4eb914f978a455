// `nysol deadline <rule> <YYYY-MM-DD> [--rulebook PATH]`: the last day of a statutory time limit, counted
// from the start date with the rulebook entry in force on that date. Prints the ISO date and a newline.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/civil_date.h"
#include "core/rulebook.h"

namespace nysol::cli {
namespace {

struct DeadlineArgs {
  std::string rule;
  std::string start;
  std::string rulebook_path;
};

// Exit codes: 0 ok, 1 the rulebook cannot be loaded, 2 a bad argument (unknown rule, not a date).
int RunDeadline(const DeadlineArgs& args) {
  auto start = ParseDate(args.start);
  if (!start.ok()) {
    std::cerr << "deadline: " << start.status().message() << "\n";
    return 2;
  }
  auto book = LoadRulebook(args.rulebook_path);
  if (!book.ok()) {
    std::cerr << "deadline: " << book.status().message() << "\n";
    return 1;
  }
  // The entry in force on the start date governs the whole period, even if the law changes while it runs.
  auto rule = book->Period(args.rule, *start);
  if (!rule.ok()) {
    std::cerr << "deadline: " << rule.status().message() << "\n";
    return 2;
  }
  std::cout << FormatDate(PeriodEnd(*rule, *start)) << "\n";
  return 0;
}

}  // namespace

void RegisterDeadline(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DeadlineArgs>();
  CLI::App* cmd = app.add_subcommand("deadline", "Last day of a statutory time limit (rulebook period)");
  cmd->add_option("rule", args->rule, "Rule id, e.g. preliminary-assessment, investigation, appeal")
      ->required();
  cmd->add_option("start", args->start, "Start date YYYY-MM-DD (the day of the triggering event)")
      ->required();
  cmd->add_option("--rulebook", args->rulebook_path,
                  "Rulebook file (default: $NYSOL_RULEBOOK or the source tree's)");
  cmd->callback([args, exit_code] { *exit_code = RunDeadline(*args); });
}

}  // namespace nysol::cli
