// The follow-up dashboard (uppföljning) for heads of units, analysts and the committee: inflow, the chain,
// time limits and the queue, month by month with charts (uPlot, static/followup.js), and every measure of the
// period as a table. Each chart is drawn from the table beside it, so every number is readable without
// JavaScript. All figures come from the server's snapshot of the journal with small cells withheld.
#include <fmt/format.h>

#include "followup/suppression.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/followup_routes.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"

namespace nysol::web::pages {
namespace {

using followup::CountTable;
using nlohmann::json;

constexpr int kMaxMonths = 24;  // the monthly charts; a longer period shows its last 24 months

std::string Cell(int64_t value, bool withheld) { return withheld ? ".." : std::to_string(value); }

std::string Days(const std::optional<double>& value) {
  if (!value) return "..";
  std::string text = fmt::format("{:.1f}", *value);
  if (text.ends_with(".0")) text.resize(text.size() - 2);
  for (char& c : text) c = c == '.' ? ',' : c;  // decimal comma
  return text;
}

// A count table as the template shows it: rows with their cells and total, and a totals row when the rows
// partition. Withheld values read "..".
json TableView(const CountTable& t, const std::string& chart = "", const std::vector<int64_t>& x = {}) {
  json columns = json::array();
  for (const auto& c : t.columns) columns.push_back(c.name_sv);
  json rows = json::array();
  for (size_t r = 0; r < t.rows.size(); ++r) {
    json cells = json::array();
    for (size_t c = 0; c < t.columns.size(); ++c) cells.push_back(Cell(t.Cell(r, c), t.CellSuppressed(r, c)));
    rows.push_back({{"name", t.rows[r].name_sv},
                    {"x", r < x.size() ? json(x[r]) : json()},
                    {"cells", cells},
                    {"total", Cell(t.RowTotal(r), t.RowTotalSuppressed(r))}});
  }
  json view = {{"id", t.id + "-" + t.split},
               {"title", t.title_sv},
               {"columns", columns},
               {"rows", rows},
               {"chart", chart.empty() ? json(false) : json(chart)}};
  if (t.rows_partition) {
    json totals = json::array();
    for (size_t c = 0; c < t.columns.size(); ++c)
      totals.push_back(Cell(t.ColumnTotal(c), t.ColumnTotalSuppressed(c)));
    view["totals"] = {{"cells", totals}, {"total", Cell(t.Total(), t.total_suppressed)}};
  }
  return view;
}

// Adds "Andel inom tidsfristen" to a table whose columns are (within, late): the share from the published
// cells, ".." when either is withheld (a share of withheld counts would give them away), "–" when there were
// none.
void AddShareWithin(json& view) {
  auto share = [](const json& cells) -> std::string {
    std::string within = cells[0], late = cells[1];
    if (within == ".." || late == "..") return "..";
    int64_t w = std::stoll(within), n = w + std::stoll(late);
    if (n == 0) return "–";
    std::string text = fmt::format("{:.1f} %", 100.0 * static_cast<double>(w) / static_cast<double>(n));
    for (char& c : text) c = c == '.' ? ',' : c;
    return text;
  };
  view["share_column"] = "Andel inom tidsfristen";
  for (auto& row : view["rows"]) row["share"] = share(row["cells"]);
  if (view.contains("totals")) view["totals"]["share"] = share(view["totals"]["cells"]);
}

const CountTable* Find(const followup::Report& report, std::string_view id,
                       std::string_view split = "gender") {
  for (const auto& t : report.counts) {
    if (t.id == id && t.split == split) return &t;
  }
  return nullptr;
}

int64_t RowTotal(const followup::Report& report, std::string_view id, std::string_view row) {
  const CountTable* t = Find(report, id);
  for (size_t r = 0; t && r < t->rows.size(); ++r) {
    if (t->rows[r].code == row) return t->RowTotal(r);
  }
  return 0;
}

// Month by month: one measure per month, gathered into tables whose rows are the months.
struct Monthly {
  CountTable inflow, preliminary, investigations, queue;
  std::vector<int64_t> x;  // each month's first day, in seconds since 1970 (the charts' x axis)
};

Monthly MonthByMonth(const AppServices& services, const followup::Report& period) {
  Monthly m;
  auto make = [](std::string id, std::string title, std::vector<followup::Label> columns,
                 bool rows_partition) {
    CountTable t;
    t.id = std::move(id);
    t.title_sv = std::move(title);
    t.split = "month";
    t.columns = std::move(columns);
    t.rows_partition = rows_partition;
    return t;
  };
  m.inflow = make(
      "inflow_by_month", "Inflöde per månad",
      {{"reports", "Anmälningar"}, {"applications", "Ansökningar"}, {"first_line", "Första linjen"}}, true);
  m.preliminary = make("preliminary_by_month", "Förhandsbedömningar per månad (20 kap. 2 §)",
                       {{"within", "Inom tidsfristen"}, {"late", "Efter tidsfristen"}}, true);
  m.investigations =
      make("investigations_by_month", "Avslutade utredningar om barn och unga per månad (20 kap. 3 §)",
           {{"within", "Inom tidsfristen"}, {"late", "Efter tidsfristen"}}, true);
  m.queue = make("queue_by_month", "Ärenden som väntar på beslut vid månadens slut",
                 {{"waiting", "Väntande ärenden"}}, false);

  Date to = *ParseDate(period.to), from = *ParseDate(period.from);
  Date first{from.year(), from.month(), std::chrono::day{1}};
  Date last_month{to.year(), to.month(), std::chrono::day{1}};
  if (AddMonths(first, kMaxMonths) <= last_month) first = AddMonths(last_month, -(kMaxMonths - 1));
  std::map<std::string, std::string> units;
  services.store.Read([&](store::Db& db) { units = followup::UnitNames(db); });
  followup::MeasureContext context{services.rulebook, &services.catalog, units};
  for (Date month = first; month <= last_month; month = AddMonths(month, 1)) {
    Date month_end = std::min(AddDays(AddMonths(month, 1), -1), to);
    followup::MeasureRequest req{std::max(month, from), month_end, period.unit, false};
    followup::Report r = services.followup.Measure(req, context);
    m.x.push_back(std::chrono::sys_days(month).time_since_epoch().count() * 86400);
    std::string label = FormatDate(month).substr(0, 7);
    for (CountTable* t : {&m.inflow, &m.preliminary, &m.investigations, &m.queue})
      t->rows.push_back({label, label});
    int64_t prel = RowTotal(r, "deadline_compliance", "preliminary_assessments");
    int64_t prel_within = RowTotal(r, "deadline_compliance", "preliminary_within_limit");
    int64_t inv = RowTotal(r, "deadline_compliance", "investigations_completed");
    int64_t inv_within = RowTotal(r, "deadline_compliance", "investigations_within_limit");
    int64_t applications = RowTotal(r, "inflow_by_category", "application");
    int64_t first_line = RowTotal(r, "inflow_by_category", "first_line");
    int64_t queue = 0;
    if (const CountTable* t = Find(r, "open_queue_by_age")) queue = t->Total();
    for (int64_t v : {RowTotal(r, "funnel", "reports"), applications, first_line})
      m.inflow.cells.push_back(v);
    for (int64_t v : {prel_within, prel - prel_within}) m.preliminary.cells.push_back(v);
    for (int64_t v : {inv_within, inv - inv_within}) m.investigations.cells.push_back(v);
    m.queue.cells.push_back(queue);
  }
  followup::SuppressionSettings settings;
  settings.threshold = services.followup.suppress_below();
  for (CountTable* t : {&m.inflow, &m.preliminary, &m.investigations, &m.queue})
    followup::Suppress(*t, settings);
  return m;
}

HttpResponse Dashboard(RequestContext& ctx, const AppServices& services) {
  // Without a period: the last twelve months up to today.
  HttpRequest request = ctx.request;
  Date today = Today(services);
  auto default_to = [&](const char* key, Date value) {
    if (QueryValue(request, key).value_or("").empty()) {
      request.query.erase(key);
      request.query.emplace(key, FormatDate(value));
    }
  };
  default_to("to", today);
  default_to("from", AddMonths(Date{today.year(), today.month(), std::chrono::day{1}}, -11));
  auto report = PublishedReport(services, request);
  if (!report.ok()) return ErrorPage(ctx.request, report.status());
  Monthly monthly = MonthByMonth(services, *report);

  json tables = json::array();
  for (const auto& t : report->counts) tables.push_back(TableView(t));
  json durations = json::array();
  for (const auto& d : report->durations) {
    json columns = json::array();
    for (const auto& c : d.n.columns) columns.push_back(c.name_sv);
    json rows = json::array();
    for (size_t r = 0; r < d.n.rows.size(); ++r) {
      json cells = json::array();
      for (size_t c = 0; c < d.n.columns.size(); ++c) {
        size_t i = r * d.n.columns.size() + c;
        cells.push_back(d.n.cells[i] == 0 ? std::string("–")
                                          : fmt::format("{} / {} (n = {})", Days(d.median[i]), Days(d.p90[i]),
                                                        Cell(d.n.cells[i], d.n.CellSuppressed(r, c))));
      }
      rows.push_back({{"name", d.n.rows[r].name_sv},
                      {"cells", cells},
                      {"total", d.n.RowTotal(r) == 0
                                    ? std::string("–")
                                    : fmt::format("{} / {}", Days(d.row_median[r]), Days(d.row_p90[r]))}});
    }
    durations.push_back({{"title", d.n.title_sv}, {"columns", columns}, {"rows", rows}});
  }
  json units = json::array();
  std::map<std::string, std::string> unit_names;
  services.store.Read([&](store::Db& db) { unit_names = followup::UnitNames(db); });
  for (const auto& [code, name] : unit_names) {
    units.push_back({{"code", code}, {"name", name}, {"selected", report->unit == code}});
  }
  std::string query = fmt::format("from={}&to={}{}", report->from, report->to,
                                  report->unit ? "&unit=" + *report->unit : std::string());
  const CountTable* funnel = Find(*report, "funnel");
  json preliminary = TableView(monthly.preliminary, "line", monthly.x);
  json investigations = TableView(monthly.investigations, "line", monthly.x);
  AddShareWithin(preliminary);
  AddShareWithin(investigations);
  json view = {{"from", report->from},
               {"to", report->to},
               {"units", units},
               {"threshold", report->suppression_threshold},
               {"events", report->events},
               {"export_query", query},
               {"inflow", TableView(monthly.inflow, "line", monthly.x)},
               {"funnel", funnel ? TableView(*funnel, "bar") : json()},
               {"preliminary", preliminary},
               {"investigations", investigations},
               {"queue", TableView(monthly.queue, "line", monthly.x)},
               {"tables", tables},
               {"durations", durations}};
  return Page(ctx, 200, "Uppföljning", "followup", view);
}

}  // namespace

void RegisterFollowUpPage(Router& router, const AppServices& services) {
  router.Add(PageRoute(
      "GET", "/follow-up",
      "Follow-up dashboard: inflow, the chain, time limits and the queue, with every measure as a table",
      access::Permission::kReadFollowUp, false,
      [services](RequestContext& ctx) { return Dashboard(ctx, services); }));
}

}  // namespace nysol::web::pages
