#include "followup/measures.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace nysol::followup {
namespace {

const std::vector<Label>& GenderLabels() {
  static const std::vector<Label> labels = {
      {"female", "Flickor och kvinnor"}, {"male", "Pojkar och män"}, {"unknown", "Annat eller okänt"}};
  return labels;
}

// The first line's age bands (core/first_line_commands.cpp), so a non-identifying registration, which gives
// a band and not an age, falls in exactly one follow-up band.
struct AgeBand {
  int lower;
  Label label;
};
const std::vector<AgeBand>& AgeBands() {
  static const std::vector<AgeBand> bands = {{0, {"0-12", "0–12 år"}},        {13, {"13-17", "13–17 år"}},
                                             {18, {"18-29", "18–29 år"}},     {30, {"30-49", "30–49 år"}},
                                             {50, {"50-64", "50–64 år"}},     {65, {"65-79", "65–79 år"}},
                                             {80, {"80+", "80 år och äldre"}}};
  return bands;
}
std::vector<Label> AgeBandLabels() {
  std::vector<Label> labels;
  for (const auto& band : AgeBands()) labels.push_back(band.label);
  labels.push_back({"unknown", "Okänd ålder"});
  return labels;
}
constexpr size_t kAgeColumns = 8;  // the seven bands and "unknown"

// The band of every possible age (0–254, and kAgeUnknown), worked out once: a report is one lookup per fact.
const std::array<uint8_t, 256>& BandOfAge() {
  static const std::array<uint8_t, 256> table = [] {
    std::array<uint8_t, 256> bands{};
    for (size_t age = 0; age < bands.size(); ++age) {
      size_t i = 0;
      while (i + 1 < AgeBands().size() && static_cast<int>(age) >= AgeBands()[i + 1].lower) ++i;
      bands[age] = static_cast<uint8_t>(age == kAgeUnknown ? AgeBands().size() : i);
    }
    return bands;
  }();
  return table;
}

// One measure's rows, counted three ways at once: by gender, by age band and by unit.
class Counter {
 public:
  Counter(std::string id, std::string title_sv, std::vector<Label> rows, bool rows_partition, size_t units)
      : id_(std::move(id)),
        title_sv_(std::move(title_sv)),
        rows_(std::move(rows)),
        rows_partition_(rows_partition),
        units_(units),
        by_gender_(rows_.size() * 3),
        by_age_(rows_.size() * kAgeColumns),
        by_unit_(rows_.size() * units) {}

  // `band`: BandOfAge()[age], looked up once per fact by the caller.
  void Add(size_t row, uint8_t gender, uint8_t band, uint16_t unit, int64_t weight) {
    by_gender_[row * 3 + gender] += weight;
    by_age_[row * kAgeColumns + band] += weight;
    if (unit < units_) by_unit_[row * units_ + unit] += weight;
  }

  void AppendTables(const std::vector<Label>& unit_labels, std::vector<CountTable>& out) const {
    out.push_back(Table("gender", "kön", GenderLabels(), by_gender_));
    out.push_back(Table("age_band", "åldersgrupp", AgeBandLabels(), by_age_));
    out.push_back(Table("unit", "enhet", unit_labels, by_unit_));
  }

 private:
  CountTable Table(const char* split, const char* split_sv, const std::vector<Label>& columns,
                   const std::vector<int64_t>& cells) const {
    CountTable table;
    table.id = id_;
    table.title_sv = title_sv_ + " – efter " + split_sv;
    table.split = split;
    table.rows = rows_;
    table.columns = columns;
    table.cells = cells;
    table.rows_partition = rows_partition_;
    return table;
  }

  std::string id_, title_sv_;
  std::vector<Label> rows_;
  bool rows_partition_;
  size_t units_;
  std::vector<int64_t> by_gender_, by_age_, by_unit_;
};

// Lead times in whole days, kept as a count per day value: medians do not add up, but counts do, and reading
// a rank off counts costs a pass over the days instead of a sort of every value.
class DayHistogram {
 public:
  void Add(int32_t days) {
    auto d = static_cast<size_t>(std::max(days, 0));  // a step cannot end before it began; 0 if data says so
    if (d >= counts_.size()) counts_.resize(d + 1);
    ++counts_[d];
    ++n_;
  }
  int64_t n() const { return n_; }

  // The nearest-rank percentile, with the median of an even number the mean of the two middle values (what
  // Excel's MEDIAN gives). Empty when there are no values.
  std::optional<double> Median() const {
    if (n_ == 0) return std::nullopt;
    if (n_ % 2) return AtRank(n_ / 2 + 1);
    return (AtRank(n_ / 2) + AtRank(n_ / 2 + 1)) / 2.0;
  }
  std::optional<double> Percentile90() const {
    if (n_ == 0) return std::nullopt;
    auto rank = static_cast<int64_t>(std::ceil(0.9 * static_cast<double>(n_)));
    return AtRank(std::max<int64_t>(rank, 1));
  }

 private:
  // The value at 1-based `rank` in sorted order.
  double AtRank(int64_t rank) const {
    int64_t seen = 0;
    for (size_t d = 0; d < counts_.size(); ++d) {
      seen += counts_[d];
      if (seen >= rank) return static_cast<double>(d);
    }
    return static_cast<double>(counts_.size() - 1);
  }

  std::vector<int64_t> counts_;
  int64_t n_ = 0;
};

class Durations {
 public:
  Durations(std::string id, std::string title_sv, std::vector<Label> rows, size_t units)
      : id_(std::move(id)), title_sv_(std::move(title_sv)), rows_(std::move(rows)), units_(units) {
    by_gender_.resize(rows_.size() * 3);
    by_age_.resize(rows_.size() * kAgeColumns);
    by_unit_.resize(rows_.size() * units);
    whole_row_.resize(rows_.size());
  }

  void Add(size_t row, uint8_t gender, uint8_t band, uint16_t unit, int32_t days) {
    by_gender_[row * 3 + gender].Add(days);
    by_age_[row * kAgeColumns + band].Add(days);
    if (unit < units_) by_unit_[row * units_ + unit].Add(days);
    whole_row_[row].Add(days);
  }

  void AppendTables(const std::vector<Label>& unit_labels, std::vector<DurationTable>& out) const {
    out.push_back(Table("gender", "kön", GenderLabels(), by_gender_));
    out.push_back(Table("age_band", "åldersgrupp", AgeBandLabels(), by_age_));
    out.push_back(Table("unit", "enhet", unit_labels, by_unit_));
  }

 private:
  DurationTable Table(const char* split, const char* split_sv, const std::vector<Label>& columns,
                      const std::vector<DayHistogram>& cells) const {
    DurationTable table;
    table.n.id = id_;
    table.n.title_sv = title_sv_ + " – efter " + split_sv;
    table.n.split = split;
    table.n.rows = rows_;
    table.n.columns = columns;
    table.n.rows_partition = false;
    for (const auto& cell : cells) {
      table.n.cells.push_back(cell.n());
      table.median.push_back(cell.Median());
      table.p90.push_back(cell.Percentile90());
    }
    for (const auto& row : whole_row_) {
      table.row_median.push_back(row.Median());
      table.row_p90.push_back(row.Percentile90());
    }
    return table;
  }

  std::string id_, title_sv_;
  std::vector<Label> rows_;
  size_t units_;
  std::vector<DayHistogram> by_gender_, by_age_, by_unit_, whole_row_;
};

// Rows named by codes: the code's index in the snapshot's dictionary → the row, -1 when not a row.
struct CodeRows {
  std::vector<Label> labels;
  std::vector<int32_t> row_of_code;

  CodeRows(const Dictionary& codes, const std::vector<Label>& rows) : labels(rows) {
    row_of_code.assign(codes.size(), -1);
    for (size_t c = 0; c < codes.size(); ++c) {
      for (size_t r = 0; r < rows.size(); ++r) {
        if (codes.Text(static_cast<uint16_t>(c)) == rows[r].code) row_of_code[c] = static_cast<int32_t>(r);
      }
    }
  }
  int32_t Row(uint16_t code) const { return code < row_of_code.size() ? row_of_code[code] : -1; }
};

// A rulebook code list as rows: the codes in force on `on`, then any older code still found in the facts.
std::vector<Label> CodeListRows(const Rulebook& rulebook, std::string_view list, Date on,
                                const Dictionary& codes, const std::vector<bool>& seen) {
  std::vector<Label> rows;
  for (const auto& code : rulebook.Codes(list, on)) rows.push_back({code.code, code.name_sv});
  for (size_t c = 1; c < codes.size(); ++c) {
    if (!seen[c]) continue;
    const std::string& text = codes.Text(static_cast<uint16_t>(c));
    bool listed = std::any_of(rows.begin(), rows.end(), [&](const Label& l) { return l.code == text; });
    if (listed) continue;
    auto code =
        rulebook.Lookup(list, text, Date{std::chrono::year{2013}, std::chrono::January, std::chrono::day{1}});
    rows.push_back({text, code.ok() ? code.value().name_sv : text});
  }
  return rows;
}

int32_t DayOf(Date date) {
  return static_cast<int32_t>(std::chrono::sys_days(date).time_since_epoch().count());
}
Date DateOf(int32_t day) { return Date{std::chrono::sys_days(std::chrono::days(day))}; }

}  // namespace

std::map<std::string, std::string> UnitNames(store::Db& db) {
  std::map<std::string, std::string> names;
  auto& st = db.Prepare("SELECT code, name_sv FROM units");
  while (st.Step()) names[st.Text(0)] = st.Text(1);
  st.Reset();
  return names;
}

Report Measure(const Snapshot& snapshot, const MeasureRequest& request, const MeasureContext& context) {
  const Facts& facts = snapshot.facts();
  const Dictionary& codes = snapshot.codes();
  const int32_t from = DayOf(request.from), to = DayOf(request.to);

  // The unit filter and the unit columns.
  int32_t only_unit = -1;
  std::vector<Label> unit_labels;
  std::vector<uint16_t> unit_column(snapshot.units().size(), UINT16_MAX);
  for (size_t u = 0; u < snapshot.units().size(); ++u) {
    const std::string& code = snapshot.units().Text(static_cast<uint16_t>(u));
    if (request.unit && code != *request.unit) continue;
    if (request.unit) only_unit = static_cast<int32_t>(u);
    auto name = context.unit_names.find(code);
    unit_column[u] = static_cast<uint16_t>(unit_labels.size());
    unit_labels.push_back({code, name == context.unit_names.end() ? code : name->second});
  }
  if (request.unit && only_unit < 0) unit_labels.push_back({*request.unit, *request.unit});
  const size_t units = unit_labels.size();
  auto in_scope = [&](size_t f) {
    return facts.day[f] >= from && facts.day[f] <= to && (only_unit < 0 || facts.unit[f] == only_unit);
  };

  // Codes seen in the period, so that rows list what occurred even when the rulebook no longer has it.
  std::vector<bool> seen_category(codes.size()), seen_channel(codes.size());
  for (size_t f = 0; f < facts.size(); ++f) {
    if (!in_scope(f)) continue;
    if (facts.kind[f] == FactKind::kReport) seen_category[facts.code[f]] = true;
    if (facts.kind[f] == FactKind::kReport || facts.kind[f] == FactKind::kApplication) {
      seen_channel[facts.channel[f]] = true;
    }
  }
  std::vector<Label> category_labels =
      CodeListRows(context.rulebook, "reporter_category", request.to, codes, seen_category);
  CodeRows category_rows(codes, category_labels);
  const size_t application_row = category_labels.size(), first_line_row = application_row + 1;
  category_labels.push_back({"application", "Ansökan"});
  category_labels.push_back({"first_line", "Kontakt med första linjen"});
  CodeRows channel_rows(codes, CodeListRows(context.rulebook, "channel", request.to, codes, seen_channel));

  // Catalog items: first-line volumes, knowledge basis and costs.
  std::vector<Label> item_labels;
  std::vector<int64_t> item_cost;
  std::vector<std::string> item_basis;
  if (context.catalog) {
    for (const auto& item : context.catalog->items()) {
      bool listed = std::any_of(item_labels.begin(), item_labels.end(),
                                [&](const Label& l) { return l.code == item.code; });
      if (listed) continue;  // an item decided again from a later date: one row
      item_labels.push_back({item.code, item.name_sv});
      item_cost.push_back(item.fields.value("unit_cost_sek", int64_t{0}));
      item_basis.push_back(item.knowledge_basis);
    }
  }
  CodeRows item_rows(codes, item_labels);
  const std::vector<Label> basis_labels = {{"evidence_based", "Evidensbaserad"},
                                           {"proven_experience", "Beprövad erfarenhet"},
                                           {"local_untested", "Lokalt utvecklad, inte utvärderad"},
                                           {"not_in_catalog", "Inte i insatskatalogen"}};
  auto basis_row = [&](uint16_t code) -> size_t {
    int32_t item = item_rows.Row(code);
    if (item < 0) return 3;
    const std::string& basis = item_basis[static_cast<size_t>(item)];
    for (size_t r = 0; r < 3; ++r) {
      if (basis_labels[r].code == basis) return r;
    }
    return 3;
  };

  Counter inflow_category("inflow_by_category", "Inflöde efter anmälarkategori och väg in", category_labels,
                          true, units);
  Counter inflow_channel("inflow_by_channel", "Anmälningar och ansökningar efter kanal", channel_rows.labels,
                         true, units);
  Counter initiative("inflow_initiative", "Eget initiativ eller anmälan av någon annan",
                     {{"own_initiative", "Eget initiativ: ansökan, första linjen eller barnets egen anmälan"},
                      {"reported_by_others", "Anmälan av någon annan"}},
                     true, units);
  Counter funnel("funnel", "Kedjan från anmälan till insats",
                 {{"reports", "Anmälningar"},
                  {"preliminary_assessments", "Förhandsbedömningar"},
                  {"investigations_started", "Inledda utredningar"},
                  {"decisions", "Beslut"},
                  {"interventions_started", "Påbörjade insatser"}},
                 false, units);
  Counter compliance(
      "deadline_compliance", "Tidsfrister",
      {{"preliminary_assessments", "Förhandsbedömningar (barn och unga)"},
       {"preliminary_within_limit", "– inom 14 dagar eller beslutad förlängning (20 kap. 2 §)"},
       {"preliminary_extended", "– förlängda av synnerliga skäl"},
       {"investigations_completed", "Avslutade utredningar om barn och unga"},
       {"investigations_within_limit", "– inom 4 månader eller beslutad förlängning (20 kap. 3 §)"},
       {"investigations_extended", "– förlängda av särskilda skäl"}},
      false, units);
  Counter repeat("repeat_reports", "Upprepade anmälningar",
                 {{"reports", "Anmälningar"},
                  {"repeat_within_12_months", "– om samma person som anmälts de senaste 12 månaderna"}},
                 false, units);
  Counter first_line("first_line_by_item", "Första linjen: deltagare efter insats", item_labels, true, units);
  Counter knowledge("interventions_by_knowledge_basis",
                    "Påbörjade insatser och deltagande i första linjen efter kunskapsgrund", basis_labels,
                    true, units);
  Counter volumes("volumes_by_item", "Påbörjade insatser och deltagande efter katalogpost", item_labels, true,
                  units);
  Counter costs("costs_by_item", "Kostnad enligt katalogens styckkostnad (kr)", item_labels, true, units);
  Durations lead_times("lead_times", "Ledtider i dagar",
                       {{"report_to_preliminary_decision", "Från aktualisering till förhandsbedömning"},
                        {"investigation", "Utredningens längd"},
                        {"received_to_decision", "Från aktualisering till beslut"},
                        {"decision_to_intervention", "Från beslut till påbörjad insats"}},
                       units);

  const auto& band_of_age = BandOfAge();
  for (size_t f = 0; f < facts.size(); ++f) {
    if (!in_scope(f)) continue;
    const uint8_t gender = facts.gender[f], band = band_of_age[facts.age[f]], flags = facts.flags[f];
    const uint16_t unit = unit_column[facts.unit[f]];
    const int64_t n = facts.count[f];
    auto add = [&](Counter& counter, size_t row, int64_t weight = 1) {
      counter.Add(row, gender, band, unit, weight);
    };
    switch (facts.kind[f]) {
      case FactKind::kReport: {
        int32_t row = category_rows.Row(facts.code[f]);
        if (row >= 0) add(inflow_category, static_cast<size_t>(row));
        int32_t channel = channel_rows.Row(facts.channel[f]);
        if (channel >= 0) add(inflow_channel, static_cast<size_t>(channel));
        add(initiative, codes.Text(facts.code[f]) == "child" ? 0 : 1);
        add(funnel, 0);
        add(repeat, 0);
        // Repeat: the same person was reported in the 12 months before this report.
        int32_t previous = facts.end_day[f];
        if (previous != kNoDay && previous >= DayOf(AddMonths(DateOf(facts.day[f]), -12))) add(repeat, 1);
        break;
      }
      case FactKind::kApplication: {
        add(inflow_category, application_row);
        int32_t channel = channel_rows.Row(facts.channel[f]);
        if (channel >= 0) add(inflow_channel, static_cast<size_t>(channel));
        add(initiative, 0);
        break;
      }
      case FactKind::kFirstLine: {
        add(inflow_category, first_line_row, n);
        add(initiative, 0, n);
        int32_t item = item_rows.Row(facts.code[f]);
        add(knowledge, basis_row(facts.code[f]), n);
        if (item >= 0) {
          add(first_line, static_cast<size_t>(item), n);
          add(volumes, static_cast<size_t>(item), n);
          add(costs, static_cast<size_t>(item), n * item_cost[static_cast<size_t>(item)]);
        }
        break;
      }
      case FactKind::kPreliminaryDecided:
        add(funnel, 1);
        lead_times.Add(0, gender, band, unit, facts.lead[f]);
        // 20 kap. 2 § SoL: 14 days, longer only for exceptional reasons.
        add(compliance, 0);
        if (flags & kWithinTime) add(compliance, 1);
        if (flags & kExtended) add(compliance, 2);
        break;
      case FactKind::kInvestigationStarted:
        add(funnel, 2);
        break;
      case FactKind::kInvestigationCompleted:
        if (facts.lead[f] >= 0) lead_times.Add(1, gender, band, unit, facts.lead[f]);
        if (flags & kTimeNotCounted) break;
        // 20 kap. 3 § SoL: four months, extendable for special reasons.
        add(compliance, 3);
        if (flags & kWithinTime) add(compliance, 4);
        if (flags & kExtended) add(compliance, 5);
        break;
      case FactKind::kDecision:
        add(funnel, 3);
        lead_times.Add(2, gender, band, unit, facts.lead[f]);
        break;
      case FactKind::kInterventionStarted: {
        add(funnel, 4);
        if (facts.lead[f] >= 0) lead_times.Add(3, gender, band, unit, facts.lead[f]);
        add(knowledge, basis_row(facts.code[f]));
        int32_t item = item_rows.Row(facts.code[f]);
        if (item >= 0) {
          add(volumes, static_cast<size_t>(item));
          add(costs, static_cast<size_t>(item), item_cost[static_cast<size_t>(item)]);
        }
        break;
      }
    }
  }

  // The queue on the last day: matters open and not yet decided on their merits, by how long they have
  // waited. A matter whose intervention runs stays open but no longer waits.
  const std::vector<Label> queue_labels = {{"0-14", "0–14 dagar"},       {"15-30", "15–30 dagar"},
                                           {"31-60", "31–60 dagar"},     {"61-120", "61–120 dagar"},
                                           {"121-180", "121–180 dagar"}, {"181+", "Mer än 180 dagar"}};
  Counter queue("open_queue_by_age", "Ärenden som väntar på beslut den sista dagen, efter väntetid",
                queue_labels, true, units);
  const Matters& matters = snapshot.matters();
  for (size_t m = 0; m < matters.size(); ++m) {
    if (matters.opened[m] > to || matters.closed[m] <= to || matters.decided[m] <= to) continue;
    uint16_t unit = matters.transferred[m] <= to ? matters.unit[m] : matters.unit_before[m];
    if (only_unit >= 0 && unit != only_unit) continue;
    int32_t waited = to - matters.opened[m];
    size_t row = waited <= 14    ? 0
                 : waited <= 30  ? 1
                 : waited <= 60  ? 2
                 : waited <= 120 ? 3
                 : waited <= 180 ? 4
                                 : 5;
    queue.Add(row, matters.gender[m], BandOfAge()[matters.age[m]], unit_column[unit], 1);
  }

  // Favourable decisions not carried out within three months (34 kap. 1 och 3 §§ SoL), as of the last day.
  std::vector<Label> intervention_labels;
  for (const auto& code : context.rulebook.Codes("intervention", request.to)) {
    intervention_labels.push_back({code.code, code.name_sv});
  }
  CodeRows intervention_rows(codes, intervention_labels);
  Counter not_executed("not_executed_by_intervention",
                       "Gynnande beslut som inte verkställts inom tre månader (34 kap. 3 §) efter insats",
                       intervention_labels, true, units);
  const std::vector<Label> wait_labels = {
      {"3-6_months", "3–6 månader"}, {"6-12_months", "6–12 månader"}, {"12+_months", "Mer än 12 månader"}};
  Counter not_executed_wait(
      "not_executed_by_time",
      "Gynnande beslut som inte verkställts inom tre månader (34 kap. 3 §) efter tid som gått", wait_labels,
      true, units);
  Report report;
  std::unordered_map<size_t, int64_t> decision_id_of_fact;
  if (request.include_not_executed) {
    for (const auto& [id, fact] : snapshot.decisions()) decision_id_of_fact[fact] = id;
  }
  for (size_t f = 0; f < facts.size(); ++f) {
    if (facts.kind[f] != FactKind::kDecision || facts.day[f] > to) continue;
    if ((facts.flags[f] & (kFavourable | kReportable)) != (kFavourable | kReportable)) continue;
    if (only_unit >= 0 && facts.unit[f] != only_unit) continue;
    Date decided = DateOf(facts.day[f]);
    auto rule = context.rulebook.Period("non-execution-report", decided);
    if (!rule.ok()) continue;  // no reporting duty in force on the decision day
    int32_t limit = DayOf(PeriodEnd(rule.value(), decided));
    if (limit >= to) continue;
    int32_t carried_out = facts.end_day[f];
    bool waiting = carried_out > to && carried_out > limit;
    bool carried_out_late_in_period = carried_out > limit && carried_out >= from && carried_out <= to;
    if (!waiting && !carried_out_late_in_period) continue;
    const uint16_t unit = unit_column[facts.unit[f]];
    if (waiting) {
      int32_t row = intervention_rows.Row(facts.code[f]);
      if (row >= 0)
        not_executed.Add(static_cast<size_t>(row), facts.gender[f], BandOfAge()[facts.age[f]], unit, 1);
      Date six = AddMonths(decided, 6), twelve = AddMonths(decided, 12);
      size_t wait_row = to < DayOf(six) ? 0 : to < DayOf(twelve) ? 1 : 2;
      not_executed_wait.Add(wait_row, facts.gender[f], BandOfAge()[facts.age[f]], unit, 1);
    }
    if (!request.include_not_executed) continue;
    NotExecutedDecision row;
    row.decision_id = std::to_string(decision_id_of_fact[f]);
    row.person_id = facts.person[f];
    row.unit = snapshot.units().Text(facts.unit[f]);
    row.gender = GenderLabels()[facts.gender[f]].code;
    row.birth_year = snapshot.BirthYear(facts.person[f]);
    row.decided_on = DayText(facts.day[f]);
    row.intervention = codes.Text(facts.code[f]);
    auto name = context.rulebook.Lookup("intervention", row.intervention, decided);
    row.intervention_sv = name.ok() ? name.value().name_sv : row.intervention;
    row.legal_basis = codes.Text(facts.channel[f]);
    row.days_waited = (waiting ? to : carried_out) - facts.day[f];
    if (!waiting) row.executed_on = DayText(carried_out);
    report.not_executed.push_back(std::move(row));
  }

  report.from = FormatDate(request.from);
  report.to = FormatDate(request.to);
  report.unit = request.unit;
  report.events = snapshot.events();
  report.last_seq = snapshot.last_seq();
  report.rulebook_version = context.rulebook.version();
  for (const Counter* counter :
       {&inflow_category, &inflow_channel, &initiative, &funnel, &compliance, &queue, &repeat, &first_line,
        &knowledge, &volumes, &costs, &not_executed, &not_executed_wait}) {
    counter->AppendTables(unit_labels, report.counts);
  }
  lead_times.AppendTables(unit_labels, report.durations);
  return report;
}

}  // namespace nysol::followup
