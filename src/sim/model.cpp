#include "sim/model.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/civil_date.h"
#include "sim/toml_text.h"

namespace nysol::sim {

const char* StreamName(Stream stream) {
  switch (stream) {
    case Stream::kReport:
      return "report";
    case Stream::kApplication:
      return "application";
    case Stream::kFirstLine:
      return "first_line";
  }
  return "?";
}

const char* StepName(Step step) {
  switch (step) {
    case Step::kPreliminary:
      return "preliminary_assessment";
    case Step::kInvestigationChild:
      return "investigation_child";
    case Step::kInvestigationAdult:
      return "investigation_adult";
    case Step::kFirstLine:
      return "first_line";
  }
  return "?";
}

namespace {

Status Invalid(std::string message) { return Error(ErrorCode::kInvalidInput, std::move(message)); }

constexpr double kMaxPerDay = 100000;  // arrivals a day in one stream
constexpr double kMaxStaff = 100000;   // posts in one unit

bool IsShare(double x) { return std::isfinite(x) && x >= 0 && x <= 1; }

// Reads the keys of one TOML table, remembering which were read, so that anything left over is reported as
// unknown. Errors name the key with its table path ("units.vuxen.staff").
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path) : table_(table), path_(std::move(path)) {}

  std::string Key(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  // A number (integer or float) when present; error when present and not a number.
  Status Number(std::string_view key, double* out, bool required = false) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) return required ? Invalid(fmt::format("{} is missing", Key(key))) : Status::Ok();
    if (auto v = node->as_floating_point()) {
      *out = v->get();
    } else if (auto i = node->as_integer()) {
      *out = static_cast<double>(i->get());
    } else {
      return Invalid(fmt::format("{} must be a number", Key(key)));
    }
    if (!std::isfinite(*out)) return Invalid(fmt::format("{} must be a finite number", Key(key)));
    return Status::Ok();
  }
  Status Integer(std::string_view key, int* out, bool required = false) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) return required ? Invalid(fmt::format("{} is missing", Key(key))) : Status::Ok();
    auto i = node->as_integer();
    if (!i) return Invalid(fmt::format("{} must be an integer", Key(key)));
    if (i->get() < -1000000000 || i->get() > 1000000000)
      return Invalid(fmt::format("{} is out of range", Key(key)));
    *out = static_cast<int>(i->get());
    return Status::Ok();
  }
  Status String(std::string_view key, std::string* out, bool required = false) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) return required ? Invalid(fmt::format("{} is missing", Key(key))) : Status::Ok();
    auto s = node->as_string();
    if (!s) return Invalid(fmt::format("{} must be a string", Key(key)));
    *out = s->get();
    return Status::Ok();
  }
  template <size_t N>
  Status Numbers(std::string_view key, std::array<double, N>* out) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) return Status::Ok();
    auto array = node->as_array();
    if (!array || array->size() != N)
      return Invalid(fmt::format("{} must be an array of {} numbers", Key(key), N));
    for (size_t i = 0; i < N; ++i) {
      const toml::node& item = *array->get(i);
      if (auto v = item.as_floating_point()) {
        (*out)[i] = v->get();
      } else if (auto n = item.as_integer()) {
        (*out)[i] = static_cast<double>(n->get());
      } else {
        return Invalid(fmt::format("{} must be an array of {} numbers", Key(key), N));
      }
    }
    return Status::Ok();
  }
  // A sub-table when present (nullptr if absent); error when present and not a table.
  Result<const toml::table*> Table(std::string_view key, bool required = false) {
    used_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node) {
      if (required) return Invalid(fmt::format("[{}] is missing", Key(key)));
      return static_cast<const toml::table*>(nullptr);
    }
    auto t = node->as_table();
    if (!t) return Invalid(fmt::format("{} must be a table", Key(key)));
    return static_cast<const toml::table*>(t);
  }
  // The `fit` table beside a figure is informational: read into `fit`, never checked key by key.
  Status ReadFit(Fit* fit) {
    auto table = Table("fit");
    if (!table.ok()) return table.status();
    if (!*table) return Status::Ok();
    for (const auto& [k, v] : **table) {
      if (auto f = v.as_floating_point()) fit->figures[std::string(k.str())] = f->get();
      if (auto i = v.as_integer()) fit->figures[std::string(k.str())] = static_cast<double>(i->get());
      if (auto s = v.as_string(); s && k.str() == "note") fit->note = s->get();
    }
    return Status::Ok();
  }
  Status CheckNoUnknownKeys() const {
    for (const auto& [k, v] : table_) {
      if (!used_.count(std::string(k.str())))
        return Invalid(fmt::format("unknown key {} (docs/PLANNING.md lists the keys)", Key(k.str())));
    }
    return Status::Ok();
  }

 private:
  const toml::table& table_;
  std::string path_;
  std::set<std::string> used_;
};

Status ReadShares(const toml::table* table, const std::string& path, std::map<std::string, double>* out) {
  if (!table) return Status::Ok();
  for (const auto& [k, v] : *table) {
    double x = 0;
    if (auto f = v.as_floating_point()) {
      x = f->get();
    } else if (auto i = v.as_integer()) {
      x = static_cast<double>(i->get());
    } else {
      return Invalid(fmt::format("{}.{} must be a number", path, k.str()));
    }
    (*out)[std::string(k.str())] = x;
  }
  return Status::Ok();
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(ch));
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// A bare key when it is one (letters, digits, - and _), else quoted.
std::string KeyText(std::string_view key) {
  bool bare = !key.empty();
  for (char ch : key)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) bare = false;
  return bare ? std::string(key) : Quote(key);
}

// Shortest text that reads back to the same double; TOML floats need a '.' or an exponent.
std::string Num(double x) {
  std::string text = fmt::format("{}", x);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

template <size_t N>
std::string NumArray(const std::array<double, N>& values) {
  std::string out = "[";
  for (size_t i = 0; i < N; ++i) out += (i ? ", " : "") + Num(values[i]);
  return out + "]";
}

void WriteFit(std::ostringstream& out, const std::string& table, const Fit& fit) {
  if (fit.figures.empty() && fit.note.empty()) return;
  out << "[" << table << ".fit]  # how well it fits the journal; informational, not read by a run\n";
  for (const auto& [k, v] : fit.figures) out << KeyText(k) << " = " << Num(v) << "\n";
  if (!fit.note.empty()) out << "note = " << Quote(fit.note) << "\n";
}

}  // namespace

double QuantileMean(const std::vector<double>& q) {
  if (q.size() < 2) return 0;
  double sum = 0;
  for (size_t i = 0; i + 1 < q.size(); ++i) sum += (q[i] + q[i + 1]) / 2;
  return sum / static_cast<double>(q.size() - 1);
}

Status ValidateModel(const Model& m) {
  if (!ParseDate(m.start).ok())
    return Invalid(fmt::format("model.start: '{}' is not a date (YYYY-MM-DD)", m.start));
  if (m.horizon_days < 1 || m.horizon_days > 3660) return Invalid("model.horizon_days must be 1 … 3660");
  if (m.warmup_days < 0 || m.warmup_days > 3660) return Invalid("model.warmup_days must be 0 … 3660");
  for (int s = 0; s < kStreams; ++s) {
    const ArrivalModel& a = m.arrivals[static_cast<size_t>(s)];
    std::string path = fmt::format("arrivals.{}", StreamName(static_cast<Stream>(s)));
    // Bounded so that a run ends: events grow with the rate (Sweden has some 1,200 reports of concern a day).
    if (!(a.per_day >= 0 && a.per_day <= kMaxPerDay))
      return Invalid(fmt::format("{}.per_day must be 0 … {}", path, kMaxPerDay));
    for (double f : a.month)
      if (!(f >= 0) || !std::isfinite(f)) return Invalid(path + ".month factors must be >= 0");
    for (double f : a.weekday)
      if (!(f >= 0) || !std::isfinite(f)) return Invalid(path + ".weekday factors must be >= 0");
    if (!IsShare(a.protection_share)) return Invalid(path + ".protection_share must be a share, 0 … 1");
  }
  const Routing& r = m.routing;
  struct Share {
    const char* name;
    double value;
  };
  for (Share s : {Share{"report_to_assessment", r.report_to_assessment},
                  Share{"assessment_to_investigation", r.assessment_to_investigation},
                  Share{"application_to_investigation", r.application_to_investigation},
                  Share{"investigation_to_decision_child", r.investigation_to_decision_child},
                  Share{"investigation_to_decision_adult", r.investigation_to_decision_adult}}) {
    if (!IsShare(s.value)) return Invalid(fmt::format("routing.{} must be a share, 0 … 1", s.name));
  }
  if (!(r.re_report_share >= 0 && r.re_report_share < 1))
    return Invalid("routing.re_report_share must be at least 0 and less than 1");
  if (!(r.re_report_mean_days > 0) || !std::isfinite(r.re_report_mean_days))
    return Invalid("routing.re_report_mean_days must be greater than 0");
  for (int s = 0; s < kSteps; ++s) {
    const StepModel& step = m.steps[static_cast<size_t>(s)];
    std::string path = fmt::format("steps.{}", StepName(static_cast<Step>(s)));
    if (!m.units.count(step.unit))
      return Invalid(fmt::format("{}.unit: no unit '{}' in [units]", path, step.unit));
    if (!(step.elapsed_days > 0) || !std::isfinite(step.elapsed_days))
      return Invalid(path + ".elapsed_days must be greater than 0");
    if (step.shape < 1 || step.shape > 50) return Invalid(path + ".shape must be an integer 1 … 50");
    if (!step.quantiles.empty()) {
      if (step.quantiles.size() != kQuantiles)
        return Invalid(fmt::format("{}.quantiles must hold {} numbers (0 %, 5 % … 100 %)", path, kQuantiles));
      for (size_t i = 0; i < kQuantiles; ++i) {
        if (!(step.quantiles[i] >= 0) || !std::isfinite(step.quantiles[i]) ||
            (i > 0 && step.quantiles[i] < step.quantiles[i - 1]))
          return Invalid(path + ".quantiles must be non-decreasing numbers >= 0");
      }
      double mean = QuantileMean(step.quantiles);
      if (!(mean > 0)) return Invalid(path + ".quantiles: their mean must be greater than 0");
      if (std::abs(mean - step.elapsed_days) > 0.01 * mean + 1e-3)
        return Invalid(fmt::format("{}.elapsed_days ({}) must be the mean of its quantiles ({:.3f})", path,
                                   step.elapsed_days, mean));
    }
    if (!(step.direct_hours >= 0) || !(step.admin_hours >= 0) || !std::isfinite(step.direct_hours) ||
        !std::isfinite(step.admin_hours))
      return Invalid(path + ": direct_hours and admin_hours must be >= 0");
  }
  for (const auto& [code, u] : m.units) {
    std::string path = "units." + code;
    if (!(u.staff >= 0 && u.staff <= kMaxStaff))
      return Invalid(fmt::format("{}.staff must be 0 … {}", path, kMaxStaff));
    if (!(u.vacancies >= 0 && u.vacancies <= u.staff)) return Invalid(path + ".vacancies must be 0 … staff");
    if (!(u.hours_per_week > 0 && u.hours_per_week <= 168))
      return Invalid(path + ".hours_per_week must be > 0 … 168");
    if (!(u.absence_share >= 0 && u.absence_share < 1))
      return Invalid(path + ".absence_share must be 0 … < 1");
    if (!(u.hourly_cost_sek >= 0) || !std::isfinite(u.hourly_cost_sek))
      return Invalid(path + ".hourly_cost_sek must be >= 0");
  }
  for (const auto* shares : {&m.interventions_child, &m.interventions_adult}) {
    double sum = 0;
    for (const auto& [code, share] : *shares) {
      if (!IsShare(share))
        return Invalid(fmt::format("interventions: the share of '{}' must be 0 … 1", code));
      sum += share;
    }
    if (sum > 1.000001) return Invalid("interventions: the shares of a kind of matter add up to more than 1");
  }
  for (const auto& [code, cost] : m.intervention_cost_sek)
    if (!(cost >= 0) || !std::isfinite(cost))
      return Invalid(fmt::format("intervention_cost_sek.{} must be >= 0", code));
  return Status::Ok();
}

Result<Model> ParseModelToml(const std::string& text, const std::string& origin) {
  auto parsed = ParseTomlText(text, origin);
  if (!parsed.ok()) return parsed.status();
  toml::table& root = *parsed;
  Model m;
  TableReader top(root, "");
  auto model_table = top.Table("model", true);
  if (!model_table.ok()) return model_table.status();
  {
    TableReader t(**model_table, "model");
    NYSOL_RETURN_IF_ERROR(t.String("source", &m.source));
    NYSOL_RETURN_IF_ERROR(t.String("calibrated_from", &m.calibrated_from));
    NYSOL_RETURN_IF_ERROR(t.String("calibrated_to", &m.calibrated_to));
    NYSOL_RETURN_IF_ERROR(t.String("start", &m.start, true));
    NYSOL_RETURN_IF_ERROR(t.Integer("horizon_days", &m.horizon_days, true));
    NYSOL_RETURN_IF_ERROR(t.Integer("warmup_days", &m.warmup_days, true));
    NYSOL_RETURN_IF_ERROR(t.CheckNoUnknownKeys());
  }
  auto arrivals = top.Table("arrivals", true);
  if (!arrivals.ok()) return arrivals.status();
  {
    TableReader t(**arrivals, "arrivals");
    for (int s = 0; s < kStreams; ++s) {
      const char* name = StreamName(static_cast<Stream>(s));
      auto stream = t.Table(name, true);
      if (!stream.ok()) return stream.status();
      ArrivalModel& a = m.arrivals[static_cast<size_t>(s)];
      a.month.fill(1);
      a.weekday.fill(1);
      TableReader st(**stream, fmt::format("arrivals.{}", name));
      NYSOL_RETURN_IF_ERROR(st.Number("per_day", &a.per_day, true));
      NYSOL_RETURN_IF_ERROR(st.Numbers("month", &a.month));
      NYSOL_RETURN_IF_ERROR(st.Numbers("weekday", &a.weekday));
      NYSOL_RETURN_IF_ERROR(st.Number("protection_share", &a.protection_share));
      NYSOL_RETURN_IF_ERROR(st.ReadFit(&a.fit));
      NYSOL_RETURN_IF_ERROR(st.CheckNoUnknownKeys());
    }
    NYSOL_RETURN_IF_ERROR(t.CheckNoUnknownKeys());
  }
  auto routing = top.Table("routing", true);
  if (!routing.ok()) return routing.status();
  {
    TableReader t(**routing, "routing");
    Routing& r = m.routing;
    NYSOL_RETURN_IF_ERROR(t.Number("report_to_assessment", &r.report_to_assessment, true));
    NYSOL_RETURN_IF_ERROR(t.Number("assessment_to_investigation", &r.assessment_to_investigation, true));
    NYSOL_RETURN_IF_ERROR(t.Number("application_to_investigation", &r.application_to_investigation, true));
    NYSOL_RETURN_IF_ERROR(
        t.Number("investigation_to_decision_child", &r.investigation_to_decision_child, true));
    NYSOL_RETURN_IF_ERROR(
        t.Number("investigation_to_decision_adult", &r.investigation_to_decision_adult, true));
    NYSOL_RETURN_IF_ERROR(t.Number("re_report_share", &r.re_report_share, true));
    NYSOL_RETURN_IF_ERROR(t.Number("re_report_mean_days", &r.re_report_mean_days, true));
    NYSOL_RETURN_IF_ERROR(t.ReadFit(&r.fit));
    NYSOL_RETURN_IF_ERROR(t.CheckNoUnknownKeys());
  }
  auto units = top.Table("units", true);
  if (!units.ok()) return units.status();
  for (const auto& [code, node] : **units) {
    std::string path = fmt::format("units.{}", code.str());
    auto table = node.as_table();
    if (!table) return Invalid(path + " must be a table");
    UnitModel u;
    TableReader t(*table, path);
    NYSOL_RETURN_IF_ERROR(t.Number("staff", &u.staff, true));
    NYSOL_RETURN_IF_ERROR(t.Number("vacancies", &u.vacancies));
    NYSOL_RETURN_IF_ERROR(t.Number("hours_per_week", &u.hours_per_week, true));
    NYSOL_RETURN_IF_ERROR(t.Number("absence_share", &u.absence_share, true));
    NYSOL_RETURN_IF_ERROR(t.Number("hourly_cost_sek", &u.hourly_cost_sek, true));
    NYSOL_RETURN_IF_ERROR(t.ReadFit(&u.fit));
    NYSOL_RETURN_IF_ERROR(t.CheckNoUnknownKeys());
    m.units[std::string(code.str())] = u;
  }
  auto steps = top.Table("steps", true);
  if (!steps.ok()) return steps.status();
  {
    TableReader t(**steps, "steps");
    for (int s = 0; s < kSteps; ++s) {
      const char* name = StepName(static_cast<Step>(s));
      auto step_table = t.Table(name, true);
      if (!step_table.ok()) return step_table.status();
      StepModel& step = m.steps[static_cast<size_t>(s)];
      TableReader st(**step_table, fmt::format("steps.{}", name));
      NYSOL_RETURN_IF_ERROR(st.String("unit", &step.unit, true));
      NYSOL_RETURN_IF_ERROR(st.Number("elapsed_days", &step.elapsed_days, true));
      NYSOL_RETURN_IF_ERROR(st.Integer("shape", &step.shape, true));
      {
        std::array<double, kQuantiles> q{};
        bool present = (*step_table)->get("quantiles") != nullptr;
        NYSOL_RETURN_IF_ERROR(st.Numbers("quantiles", &q));
        if (present) step.quantiles.assign(q.begin(), q.end());
      }
      NYSOL_RETURN_IF_ERROR(st.Number("direct_hours", &step.direct_hours, true));
      NYSOL_RETURN_IF_ERROR(st.Number("admin_hours", &step.admin_hours, true));
      NYSOL_RETURN_IF_ERROR(st.ReadFit(&step.fit));
      NYSOL_RETURN_IF_ERROR(st.CheckNoUnknownKeys());
    }
    NYSOL_RETURN_IF_ERROR(t.CheckNoUnknownKeys());
  }
  auto interventions = top.Table("interventions");
  if (!interventions.ok()) return interventions.status();
  if (*interventions) {
    TableReader t(**interventions, "interventions");
    auto child = t.Table("child");
    if (!child.ok()) return child.status();
    NYSOL_RETURN_IF_ERROR(ReadShares(*child, "interventions.child", &m.interventions_child));
    auto adult = t.Table("adult");
    if (!adult.ok()) return adult.status();
    NYSOL_RETURN_IF_ERROR(ReadShares(*adult, "interventions.adult", &m.interventions_adult));
    NYSOL_RETURN_IF_ERROR(t.CheckNoUnknownKeys());
  }
  auto costs = top.Table("intervention_cost_sek");
  if (!costs.ok()) return costs.status();
  NYSOL_RETURN_IF_ERROR(ReadShares(*costs, "intervention_cost_sek", &m.intervention_cost_sek));
  NYSOL_RETURN_IF_ERROR(top.CheckNoUnknownKeys());
  NYSOL_RETURN_IF_ERROR(ValidateModel(m));
  return m;
}

Result<Model> LoadModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("cannot read the model file {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseModelToml(text.str(), path);
}

std::string ModelToml(const Model& m) {
  std::ostringstream out;
  out << "# NySoL capacity model of the chain (docs/PLANNING.md). Written by `nysol simulate calibrate`;\n"
         "# edit freely: `nysol simulate run` checks every key. Rates are per calendar day, times in "
         "calendar\n"
         "# days, work in staff hours. The [*.fit] tables say how well each figure fits the journal.\n\n";
  out << "[model]\n";
  out << "source = " << Quote(m.source) << "\n";
  out << "calibrated_from = " << Quote(m.calibrated_from) << "\n";
  out << "calibrated_to = " << Quote(m.calibrated_to) << "\n";
  out << "start = " << Quote(m.start) << "  # first measured day\n";
  out << "horizon_days = " << m.horizon_days << "  # measured days\n";
  out << "warmup_days = " << m.warmup_days << "  # simulated first from an empty chain, not measured\n\n";
  for (int s = 0; s < kStreams; ++s) {
    const ArrivalModel& a = m.arrivals[static_cast<size_t>(s)];
    std::string table = fmt::format("arrivals.{}", StreamName(static_cast<Stream>(s)));
    out << "[" << table << "]\n";
    out << "per_day = " << Num(a.per_day) << "\n";
    out << "month = " << NumArray(a.month) << "  # January … December\n";
    out << "weekday = " << NumArray(a.weekday) << "  # Monday … Sunday\n";
    if (static_cast<Stream>(s) == Stream::kReport)
      out << "protection_share = " << Num(a.protection_share)
          << "  # immediate need of protection, served first\n";
    WriteFit(out, table, a.fit);
    out << "\n";
  }
  const Routing& r = m.routing;
  out << "[routing]\n";
  out << "report_to_assessment = " << Num(r.report_to_assessment) << "\n";
  out << "assessment_to_investigation = " << Num(r.assessment_to_investigation) << "\n";
  out << "application_to_investigation = " << Num(r.application_to_investigation) << "\n";
  out << "investigation_to_decision_child = " << Num(r.investigation_to_decision_child) << "\n";
  out << "investigation_to_decision_adult = " << Num(r.investigation_to_decision_adult) << "\n";
  out << "re_report_share = " << Num(r.re_report_share) << "\n";
  out << "re_report_mean_days = " << Num(r.re_report_mean_days) << "\n";
  WriteFit(out, "routing", r.fit);
  out << "\n";
  for (int s = 0; s < kSteps; ++s) {
    const StepModel& step = m.steps[static_cast<size_t>(s)];
    std::string table = fmt::format("steps.{}", StepName(static_cast<Step>(s)));
    out << "[" << table << "]\n";
    out << "unit = " << Quote(step.unit) << "\n";
    out << "elapsed_days = " << Num(step.elapsed_days) << "  # mean calendar days in work once started\n";
    out << "shape = " << step.shape << "  # Erlang shape of the days in work (1 = exponential)\n";
    if (!step.quantiles.empty()) {
      out << "# days in work drawn from these quantiles (0 %, 5 % … 100 %) rather than the Erlang shape; "
             "delete\n"
             "# the line to use the shape\n";
      out << "quantiles = [";
      for (size_t i = 0; i < step.quantiles.size(); ++i) out << (i ? ", " : "") << Num(step.quantiles[i]);
      out << "]\n";
    }
    out << "direct_hours = " << Num(step.direct_hours) << "  # staff hours per case\n";
    out << "admin_hours = " << Num(step.admin_hours) << "\n";
    WriteFit(out, table, step.fit);
    out << "\n";
  }
  for (const auto& [code, u] : m.units) {
    std::string table = "units." + KeyText(code);
    out << "[" << table << "]\n";
    out << "staff = " << Num(u.staff) << "  # posts\n";
    out << "vacancies = " << Num(u.vacancies) << "\n";
    out << "hours_per_week = " << Num(u.hours_per_week) << "\n";
    out << "absence_share = " << Num(u.absence_share) << "\n";
    out << "hourly_cost_sek = " << Num(u.hourly_cost_sek) << "\n";
    WriteFit(out, table, u.fit);
    out << "\n";
  }
  out << "[interventions.child]  # catalog item → share of the granted decisions\n";
  for (const auto& [code, share] : m.interventions_child) out << KeyText(code) << " = " << Num(share) << "\n";
  out << "\n[interventions.adult]\n";
  for (const auto& [code, share] : m.interventions_adult) out << KeyText(code) << " = " << Num(share) << "\n";
  out << "\n[intervention_cost_sek]  # per decision: one unit of the catalog's unit_cost_sek; 0 if not "
         "priced\n";
  for (const auto& [code, cost] : m.intervention_cost_sek) out << KeyText(code) << " = " << Num(cost) << "\n";
  return out.str();
}

}  // namespace nysol::sim
