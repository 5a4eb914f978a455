#include "web/followup_routes.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "core/input.h"
#include "followup/export.h"
#include "followup/measures.h"
#include "followup/publish.h"
#include "web/api_error.h"
#include "web/api_json.h"

namespace nysol::web {
namespace {

constexpr int kMaxYears = 20;

Result<Date> RequiredDate(const HttpRequest& request, const char* key) {
  auto text = QueryValue(request, key);
  if (!text) return Error(ErrorCode::kInvalidInput, fmt::format("query '{}' is required (YYYY-MM-DD)", key));
  auto parsed = ParseDate(*text);
  if (!parsed.ok())
    return Error(ErrorCode::kInvalidDate, fmt::format("query '{}': {}", key, parsed.status().message()));
  return *parsed;
}

HttpResponse Download(std::string_view content_type, std::string_view filename, std::string body) {
  HttpResponse response;
  response.status = 200;
  response.content_type = std::string(content_type);
  response.body = std::move(body);
  response.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}\"", filename));
  return response;
}

Result<std::string> XlsxBytes(const followup::Report& report) {
  // libxlsxwriter writes files only; a private temporary file, read back and removed.
  auto path = std::filesystem::temp_directory_path() /
              fmt::format("nysol-kpi-{}-{}.xlsx", ::getpid(),
                          std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::string error;
  if (!followup::WriteReportXlsx(report, path.string(), &error)) return Error(ErrorCode::kInternal, error);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  return bytes.str();
}

Handler KpiHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    std::string format = QueryValue(ctx.request, "format").value_or("json");
    if (format != "json" && format != "csv" && format != "xlsx") {
      return ErrorResponse(Error(ErrorCode::kInvalidInput, "query 'format' must be json, csv or xlsx"));
    }
    auto report = PublishedReport(services, ctx.request);
    if (!report.ok()) return ErrorResponse(report.status());
    std::string name = fmt::format("uppfoljning-{}-{}", report->from, report->to);
    if (format == "csv")
      return Download("text/csv; charset=utf-8", name + ".csv", followup::ReportCsv(*report));
    if (format == "xlsx") {
      auto bytes = XlsxBytes(*report);
      if (!bytes.ok()) return ErrorResponse(bytes.status());
      return Download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx",
                      std::move(*bytes));
    }
    return Json(200, followup::ReportToJson(*report));
  };
}

}  // namespace

Result<followup::Report> PublishedReport(const AppServices& services, const HttpRequest& request) {
  NYSOL_ASSIGN_OR_RETURN(Date from, RequiredDate(request, "from"));
  NYSOL_ASSIGN_OR_RETURN(Date to, RequiredDate(request, "to"));
  if (to < from) return Error(ErrorCode::kInvalidInput, "query 'to' is before 'from'");
  if (AddMonths(from, 12 * kMaxYears) < to) {
    return Error(ErrorCode::kInvalidInput, fmt::format("the period is longer than {} years", kMaxYears));
  }
  std::map<std::string, std::string> units;
  services.store.Read([&](store::Db& db) { units = followup::UnitNames(db); });
  followup::MeasureRequest measure{from, to, std::nullopt, false};
  if (auto unit = QueryValue(request, "unit"); unit && !unit->empty()) {
    if (!units.count(*unit)) return Error(ErrorCode::kNotFound, fmt::format("no unit '{}'", *unit));
    measure.unit = *unit;
  }
  followup::MeasureContext context{services.rulebook, &services.catalog, std::move(units)};
  followup::Report report = services.followup.Measure(measure, context);
  followup::SuppressReport(report, services.followup.suppress_below());
  return report;
}

void RegisterFollowUpRoutes(Router& router, const AppServices& services) {
  router.Add(
      {"GET", "/api/v1/kpi",
       "Follow-up measures for a period by gender, age band and unit, small cells withheld (json, csv, xlsx)",
       access::Permission::kReadFollowUp, false, KpiHandler(services)});
}

}  // namespace nysol::web
