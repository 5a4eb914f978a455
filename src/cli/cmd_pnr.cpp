// `nysol pnr [--on YYYY-MM-DD]`: validates one personnummer or samordningsnummer per line of stdin, for bulk
// checks of registers. Prints "valid <12 digits> <kind> <sex>" or "invalid <reason>" per line, in order.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/civil_date.h"
#include "core/clock.h"
#include "core/identity_number.h"

namespace nysol::cli {
namespace {

// Flush in large blocks: registers run to millions of lines and per-line writes would dominate.
constexpr size_t kFlushThreshold = 1 << 16;

void AppendVerdict(std::string_view line, Date today, std::string* out) {
  if (line.empty()) {
    *out += "invalid empty line\n";
    return;
  }
  auto result = ParseIdentityNumber(line, today);
  if (!result.ok()) {
    *out += "invalid ";
    *out += result.status().message();
    *out += '\n';
    return;
  }
  *out += "valid ";
  *out += result->digits;
  *out += ' ';
  *out += IdentityKindName(result->kind);
  *out += ' ';
  *out += LegalSexName(result->sex);
  *out += '\n';
}

int RunPnr(const std::string& on) {
  Date today;
  if (on.empty()) {
    // Age and century depend on the calendar date where the municipality is, not on UTC.
    today = ToStockholm(SystemClock().Now()).date;
  } else {
    auto parsed = ParseDate(on);
    if (!parsed.ok()) {
      std::cerr << "pnr: --on: " << parsed.status().message() << '\n';
      return 2;
    }
    today = *parsed;
  }

  std::ios::sync_with_stdio(false);
  std::cin.tie(nullptr);
  std::string out;
  out.reserve(kFlushThreshold + 256);
  std::string line;
  // An empty line is held back until we know whether it is the last one: a final empty line is the usual
  // artefact of a trailing newline and is skipped, while an empty line between numbers is reported.
  bool pending_empty = false;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // files saved on Windows
    if (pending_empty) {
      AppendVerdict("", today, &out);
      pending_empty = false;
    }
    if (line.empty()) {
      pending_empty = true;
      continue;
    }
    AppendVerdict(line, today, &out);
    if (out.size() >= kFlushThreshold) {
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
  // Invalid numbers are results, not failures of the command.
  return 0;
}

}  // namespace

void RegisterPnr(CLI::App& app, int* exit_code) {
  CLI::App* cmd =
      app.add_subcommand("pnr", "Validate personnummer and samordningsnummer, one per line on stdin");
  // Shared with the callback, which outlives this function.
  auto on = std::make_shared<std::string>();
  cmd->add_option("--on", *on, "The date to validate against, YYYY-MM-DD (default: today in Stockholm)");
  cmd->callback([exit_code, on] { *exit_code = RunPnr(*on); });
}

}  // namespace nysol::cli
