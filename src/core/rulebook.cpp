// Loading, validating and querying the rulebook (rulebook/rulebook.json; format in rulebook/README.md).
//
// Validation is strict on purpose: a typo in a legal time limit must stop the program at start-up rather than
// silently produce a wrong deadline. Unknown keys are errors too, so that "valid_too" is not read as "no
// end".
#include "core/rulebook.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/holidays.h"

namespace nysol {
namespace {

using nlohmann::json;

bool Before(Date a, Date b) { return std::chrono::sys_days{a} < std::chrono::sys_days{b}; }

template <typename Entry>
bool InForce(const Entry& entry, Date on) {
  return !Before(on, entry.valid_from) && (!entry.valid_to || Before(on, *entry.valid_to));
}

// Reads the fields of one JSON object and names the entry in every error ("periods[2] (investigation)").
class EntryReader {
 public:
  EntryReader(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  const std::string& where() const { return where_; }

  // Once the id is known, later messages carry it so that the entry can be found in the file.
  void SetName(const std::string& name) { where_ = fmt::format("{} ({})", where_, name); }

  Status CheckObject() const {
    if (!object_.is_object()) return Fail("must be a JSON object");
    return Status::Ok();
  }

  Status CheckKeys(std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : object_.items()) {
      bool known = false;
      for (std::string_view name : allowed) known = known || key == name;
      if (!known) return Fail(fmt::format("unknown field \"{}\"", key));
    }
    return Status::Ok();
  }

  Status String(const char* key, bool required, std::string* out) const {
    auto it = object_.find(key);
    if (it == object_.end()) return required ? Fail(fmt::format("missing \"{}\"", key)) : Status::Ok();
    if (!it->is_string()) return Fail(fmt::format("\"{}\" must be a string", key));
    *out = it->get<std::string>();
    if (required && out->empty()) return Fail(fmt::format("\"{}\" must not be empty", key));
    return Status::Ok();
  }

  Status Bool(const char* key, bool required, bool* out) const {
    auto it = object_.find(key);
    if (it == object_.end()) return required ? Fail(fmt::format("missing \"{}\"", key)) : Status::Ok();
    if (!it->is_boolean()) return Fail(fmt::format("\"{}\" must be true or false", key));
    *out = it->get<bool>();
    return Status::Ok();
  }

  Status Int(const char* key, int min, int* out) const {
    auto it = object_.find(key);
    if (it == object_.end()) return Fail(fmt::format("missing \"{}\"", key));
    // Whole numbers only: 1.5 months is not a time limit the law uses.
    if (!it->is_number_integer()) return Fail(fmt::format("\"{}\" must be a whole number", key));
    const auto value = it->get<std::int64_t>();
    if (value < min || value > 100000) {
      return Fail(fmt::format("\"{}\" must be between {} and 100000 (got {})", key, min, value));
    }
    *out = static_cast<int>(value);
    return Status::Ok();
  }

  Status DateField(const char* key, Date* out) const {
    std::string text;
    NYSOL_RETURN_IF_ERROR(String(key, true, &text));
    auto date = ParseDate(text);
    if (!date.ok()) return Fail(fmt::format("\"{}\": {}", key, date.status().message()));
    *out = *date;
    return Status::Ok();
  }

  // valid_from (required) and valid_to (optional, exclusive, after valid_from).
  Status Validity(Date* from, std::optional<Date>* to) const {
    NYSOL_RETURN_IF_ERROR(DateField("valid_from", from));
    if (object_.contains("valid_to")) {
      Date end;
      NYSOL_RETURN_IF_ERROR(DateField("valid_to", &end));
      if (!Before(*from, end)) return Fail("\"valid_to\" must be after \"valid_from\"");
      *to = end;
    }
    return Status::Ok();
  }

  Status Fail(std::string_view what) const {
    return Error(ErrorCode::kInvalidInput, fmt::format("rulebook: {}: {}", where_, what));
  }

 private:
  const json& object_;
  std::string where_;
};

Result<PeriodUnit> ParseUnit(const std::string& text) {
  if (text == "days") return PeriodUnit::kDays;
  if (text == "weeks") return PeriodUnit::kWeeks;
  if (text == "months") return PeriodUnit::kMonths;
  return Error(ErrorCode::kInvalidInput,
               fmt::format("\"unit\" must be days, weeks or months (got \"{}\")", text));
}

Status ReadPeriod(const json& item, size_t index, PeriodRule* rule) {
  EntryReader r(item, fmt::format("periods[{}]", index));
  NYSOL_RETURN_IF_ERROR(r.CheckObject());
  NYSOL_RETURN_IF_ERROR(r.String("id", true, &rule->id));
  r.SetName(rule->id);
  NYSOL_RETURN_IF_ERROR(r.CheckKeys({"id", "name_sv", "unit", "amount", "shift_to_working_day", "law_ref",
                                     "valid_from", "valid_to", "note"}));
  NYSOL_RETURN_IF_ERROR(r.String("name_sv", true, &rule->name_sv));
  std::string unit;
  NYSOL_RETURN_IF_ERROR(r.String("unit", true, &unit));
  auto parsed = ParseUnit(unit);
  if (!parsed.ok()) return r.Fail(parsed.status().message());
  rule->unit = *parsed;
  // 0 is allowed: "genast" can be modelled as a limit that ends on the start day itself.
  NYSOL_RETURN_IF_ERROR(r.Int("amount", 0, &rule->amount));
  // Required rather than defaulted: whether lag (1930:173) moves the last day is a legal reading that the
  // file must state for every limit.
  NYSOL_RETURN_IF_ERROR(r.Bool("shift_to_working_day", true, &rule->shift_to_working_day));
  NYSOL_RETURN_IF_ERROR(r.String("law_ref", true, &rule->law_ref));
  std::string note;
  NYSOL_RETURN_IF_ERROR(r.String("note", false, &note));
  return r.Validity(&rule->valid_from, &rule->valid_to);
}

Status ReadYears(const json& item, size_t index, YearsRule* rule) {
  EntryReader r(item, fmt::format("years[{}]", index));
  NYSOL_RETURN_IF_ERROR(r.CheckObject());
  NYSOL_RETURN_IF_ERROR(r.String("id", true, &rule->id));
  r.SetName(rule->id);
  NYSOL_RETURN_IF_ERROR(r.CheckKeys({"id", "name_sv", "years", "law_ref", "valid_from", "valid_to", "note"}));
  NYSOL_RETURN_IF_ERROR(r.String("name_sv", true, &rule->name_sv));
  NYSOL_RETURN_IF_ERROR(r.Int("years", 1, &rule->years));
  NYSOL_RETURN_IF_ERROR(r.String("law_ref", true, &rule->law_ref));
  std::string note;
  NYSOL_RETURN_IF_ERROR(r.String("note", false, &note));
  return r.Validity(&rule->valid_from, &rule->valid_to);
}

Status ReadCode(const json& item, const std::string& list, size_t index, Code* code) {
  EntryReader r(item, fmt::format("codes.{}[{}]", list, index));
  code->list = list;
  NYSOL_RETURN_IF_ERROR(r.CheckObject());
  NYSOL_RETURN_IF_ERROR(r.String("code", true, &code->code));
  r.SetName(code->code);
  NYSOL_RETURN_IF_ERROR(
      r.CheckKeys({"code", "name_sv", "law_ref", "appealable", "valid_from", "valid_to", "note"}));
  NYSOL_RETURN_IF_ERROR(r.String("name_sv", true, &code->name_sv));
  NYSOL_RETURN_IF_ERROR(r.String("law_ref", false, &code->law_ref));
  NYSOL_RETURN_IF_ERROR(r.Bool("appealable", false, &code->appealable));
  std::string note;
  NYSOL_RETURN_IF_ERROR(r.String("note", false, &note));
  return r.Validity(&code->valid_from, &code->valid_to);
}

// Among the entries matching `match`, the one in force on `on` with the latest valid_from; null if none is.
template <typename Entry, typename Match>
const Entry* FindInForce(const std::vector<Entry>& entries, Date on, Match match, bool* id_known) {
  const Entry* best = nullptr;
  *id_known = false;
  for (const Entry& entry : entries) {
    if (!match(entry)) continue;
    *id_known = true;
    if (InForce(entry, on) && (best == nullptr || Before(best->valid_from, entry.valid_from))) best = &entry;
  }
  return best;
}

template <typename Entry>
std::string KnownIds(const std::vector<Entry>& entries) {
  std::set<std::string> ids;
  for (const Entry& entry : entries) ids.insert(entry.id);
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

template <typename Entry>
Result<Entry> FindRule(const std::vector<Entry>& entries, std::string_view kind, std::string_view id,
                       Date on) {
  bool known = false;
  const Entry* found = FindInForce(
      entries, on, [&](const Entry& e) { return e.id == id; }, &known);
  if (found != nullptr) return *found;
  if (!known) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("unknown {} rule '{}'; known rules: {}", kind, id, KnownIds(entries)));
  }
  return Error(ErrorCode::kNotFound,
               fmt::format("no version of {} rule '{}' is in force on {}", kind, id, FormatDate(on)));
}

}  // namespace

Result<Rulebook> Rulebook::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("rulebook: cannot read '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  auto book = Parse(text.str());
  if (!book.ok()) {
    return Error(book.status().code(), fmt::format("{} (in {})", book.status().message(), path));
  }
  return book;
}

Result<Rulebook> Rulebook::Parse(std::string_view json_text) {
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error(ErrorCode::kMalformedJson, "rulebook: the file is not valid JSON");

  Rulebook book;
  EntryReader top(doc, "top level");
  NYSOL_RETURN_IF_ERROR(top.CheckObject());
  NYSOL_RETURN_IF_ERROR(top.CheckKeys({"version", "law", "note", "periods", "years", "codes"}));
  NYSOL_RETURN_IF_ERROR(top.String("version", true, &book.version_));
  std::string ignored;
  NYSOL_RETURN_IF_ERROR(top.String("law", false, &ignored));
  NYSOL_RETURN_IF_ERROR(top.String("note", false, &ignored));
  for (const char* key : {"periods", "years"}) {
    if (!doc.contains(key) || !doc[key].is_array())
      return top.Fail(fmt::format("\"{}\" must be an array", key));
  }
  if (!doc.contains("codes") || !doc["codes"].is_object()) return top.Fail("\"codes\" must be an object");

  // Two entries with the same id and valid_from would make the lookup ambiguous.
  std::set<std::pair<std::string, std::chrono::sys_days>> seen;
  const json& periods = doc["periods"];
  for (size_t i = 0; i < periods.size(); ++i) {
    PeriodRule rule;
    NYSOL_RETURN_IF_ERROR(ReadPeriod(periods[i], i, &rule));
    if (!seen.emplace(rule.id, std::chrono::sys_days{rule.valid_from}).second) {
      return Error(
          ErrorCode::kInvalidInput,
          fmt::format("rulebook: periods[{}] ({}): a period with this id and valid_from {} already exists", i,
                      rule.id, FormatDate(rule.valid_from)));
    }
    book.periods_.push_back(std::move(rule));
  }

  seen.clear();
  const json& years = doc["years"];
  for (size_t i = 0; i < years.size(); ++i) {
    YearsRule rule;
    NYSOL_RETURN_IF_ERROR(ReadYears(years[i], i, &rule));
    if (!seen.emplace(rule.id, std::chrono::sys_days{rule.valid_from}).second) {
      return Error(
          ErrorCode::kInvalidInput,
          fmt::format("rulebook: years[{}] ({}): an entry with this id and valid_from {} already exists", i,
                      rule.id, FormatDate(rule.valid_from)));
    }
    book.years_.push_back(std::move(rule));
  }

  for (const auto& [list, items] : doc["codes"].items()) {
    if (!items.is_array()) return top.Fail(fmt::format("codes.{} must be an array", list));
    seen.clear();
    for (size_t i = 0; i < items.size(); ++i) {
      Code code;
      NYSOL_RETURN_IF_ERROR(ReadCode(items[i], list, i, &code));
      if (!seen.emplace(code.code, std::chrono::sys_days{code.valid_from}).second) {
        return Error(ErrorCode::kInvalidInput,
                     fmt::format("rulebook: codes.{}[{}] ({}): this code with valid_from {} already exists",
                                 list, i, code.code, FormatDate(code.valid_from)));
      }
      book.codes_.push_back(std::move(code));
    }
  }
  return book;
}

std::string Rulebook::DefaultPath() {
  const char* env = std::getenv("NYSOL_RULEBOOK");
  if (env != nullptr && env[0] != '\0') return env;
  return NYSOL_SOURCE_DIR "/rulebook/rulebook.json";
}

Result<PeriodRule> Rulebook::Period(std::string_view id, Date on) const {
  return FindRule(periods_, "period", id, on);
}

Result<YearsRule> Rulebook::Years(std::string_view id, Date on) const {
  return FindRule(years_, "years", id, on);
}

Result<Code> Rulebook::Lookup(std::string_view list, std::string_view code, Date on) const {
  bool list_known = false;
  for (const Code& c : codes_) list_known = list_known || c.list == list;
  if (!list_known) return Error(ErrorCode::kNotFound, fmt::format("unknown code list '{}'", list));
  bool known = false;
  const Code* found = FindInForce(
      codes_, on, [&](const Code& c) { return c.list == list && c.code == code; }, &known);
  if (found != nullptr) return *found;
  std::string valid;
  for (const Code& c : Codes(list, on)) valid += (valid.empty() ? "" : ", ") + c.code;
  return Error(ErrorCode::kUnknownCode,
               fmt::format("'{}' is not a code in list '{}' in force on {}; valid codes: {}", code, list,
                           FormatDate(on), valid.empty() ? "(none)" : valid));
}

std::vector<Code> Rulebook::Codes(std::string_view list, Date on) const {
  // File order, one entry per code: the version in force on `on` with the latest valid_from.
  std::vector<Code> out;
  for (const Code& c : codes_) {
    if (c.list != list || !InForce(c, on)) continue;
    bool replaced = false;
    for (Code& existing : out) {
      if (existing.code != c.code) continue;
      if (Before(existing.valid_from, c.valid_from)) existing = c;
      replaced = true;
    }
    if (!replaced) out.push_back(c);
  }
  return out;
}

Date PeriodEnd(const PeriodRule& rule, Date start) {
  Date end = start;
  switch (rule.unit) {
    case PeriodUnit::kDays:
      end = AddDays(start, rule.amount);
      break;
    case PeriodUnit::kWeeks:
      // A limit in weeks ends on the same weekday as the start (FL 44 §: "inom tre veckor").
      end = AddDays(start, 7 * rule.amount);
      break;
    case PeriodUnit::kMonths:
      // 31 October + 4 months = 28/29 February: AddMonths clamps to the month's last day.
      end = AddMonths(start, rule.amount);
      break;
  }
  // Lag (1930:173) 2 §: a last day on a Saturday, Sunday, holiday or afton moves to the next working day.
  return rule.shift_to_working_day ? NextWorkingDay(end) : end;
}

}  // namespace nysol
