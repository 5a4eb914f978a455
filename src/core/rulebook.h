// The rulebook: every statutory time limit, age, retention period and code list as versioned, effective-dated
// data (rulebook/rulebook.json), each value with its law reference. A change in the law is a new entry with a
// valid_from date, not a code change.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/status.h"

namespace nysol {

enum class PeriodUnit { kDays, kWeeks, kMonths };

// A statutory time limit, e.g. "preliminary-assessment": 14 days, 20 kap. 2 § SoL.
struct PeriodRule {
  std::string id;
  std::string name_sv;
  PeriodUnit unit = PeriodUnit::kDays;
  int amount = 0;
  // True where lag (1930:173) applies: a last day on a Saturday, Sunday or holiday moves to the next working day.
  bool shift_to_working_day = false;
  std::string law_ref;  // "20 kap. 2 § SoL"
  Date valid_from;
  std::optional<Date> valid_to;  // exclusive
};

// A number of years: ages and retention periods, e.g. "child-age-limit": 18, 3 kap. 1 § SoL.
struct YearsRule {
  std::string id;
  std::string name_sv;
  int years = 0;
  std::string law_ref;
  Date valid_from;
  std::optional<Date> valid_to;
};

// One value of a code list, e.g. reporter_category "police" = "Polisen".
struct Code {
  std::string list;
  std::string code;
  std::string name_sv;
  std::string law_ref;  // may be empty
  bool appealable = false;  // used by the legal_basis list (35 kap. 1 § SoL)
  Date valid_from;
  std::optional<Date> valid_to;
};

class Rulebook {
 public:
  // Reads and validates a rulebook file. Fails with kInvalidInput naming the entry that is wrong.
  static Result<Rulebook> Load(const std::string& path);
  static Result<Rulebook> Parse(std::string_view json_text);
  // rulebook/rulebook.json in the source tree, or $NYSOL_RULEBOOK when set.
  static std::string DefaultPath();

  const std::string& version() const { return version_; }

  // The entry in force on `on`. kNotFound when the id is unknown or nothing is in force on that date.
  Result<PeriodRule> Period(std::string_view id, Date on) const;
  Result<YearsRule> Years(std::string_view id, Date on) const;
  // kUnknownCode with the list's valid codes in the message when `code` is not in force on `on`.
  Result<Code> Lookup(std::string_view list, std::string_view code, Date on) const;
  std::vector<Code> Codes(std::string_view list, Date on) const;

  const std::vector<PeriodRule>& periods() const { return periods_; }
  const std::vector<YearsRule>& years() const { return years_; }

 private:
  std::string version_;
  std::vector<PeriodRule> periods_;
  std::vector<YearsRule> years_;
  std::vector<Code> codes_;
};

// The last day of `rule` counted from `start` (the day of the triggering event): start + amount days, weeks or
// calendar months (clamped to the month's last day), then moved to the next working day when the rule says so.
Date PeriodEnd(const PeriodRule& rule, Date start);

}  // namespace nysol
