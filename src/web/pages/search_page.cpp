// Search by identity number or name. By number: every report about the person that the user's unit may see,
// with its outcome, also those that never led to an investigation (19 kap. SoL), and a note when other units
// have reports too. By name: persons with a matter in the user's own unit only (inner confidentiality).
#include <fmt/format.h>

#include <cctype>

#include "core/identity_number.h"
#include "web/api_json.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/pages/swedish.h"

namespace nysol::web::pages {
namespace {

using access::Permission;
using nlohmann::json;

constexpr int kMaxNameResults = 50;
constexpr size_t kMinNameLength = 2;

// Characters, not bytes: "Å" is one.
size_t Characters(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

bool LooksLikeNumber(const std::string& q) {
  int digits = 0;
  for (unsigned char c : q) {
    if (std::isdigit(c)) {
      ++digits;
    } else if (c != '-' && c != '+' && c != ' ') {
      return false;
    }
  }
  return digits >= 6;
}

json PersonResult(RequestContext& ctx, const AppServices& services, const store::PersonRow& person) {
  auto matters = services.store.MattersOfPerson(person.id);
  json answer = json::object();
  AddVisibleReports(ReportsVisibleTo(ctx, services, person, MatterUnits(matters)), &answer);
  json own = json::array();
  for (const auto& m : matters) {
    if (!ctx.InOwnUnit(m.unit)) continue;
    own.push_back({{"id", m.id}, {"kind", m.kind == "child" ? "Barn" : "Vuxen"}, {"phase", PhaseSv(m.phase)},
                   {"received_on", m.received_on}});
  }
  json reports = ReportRowsSv(services, answer["reports"]);
  return {{"name", person.name ? json(*person.name) : json("Namn okänt")},
          {"identity_number", person.identity_number ? json(*person.identity_number) : json()},
          {"protected", person.protected_identity},
          {"matters", own},
          {"has_matters", !own.empty()},
          {"reports", reports},
          {"has_reports", !reports.empty()},
          {"other_units", !answer["other_units"].empty()}};
}

Handler Search(const AppServices& services) {
  return [services](RequestContext& ctx) {
    std::string q = QueryValue(ctx.request, "q").value_or("");
    while (!q.empty() && q.back() == ' ') q.pop_back();
    while (!q.empty() && q.front() == ' ') q.erase(0, 1);
    json view = {{"q", q}, {"searched", !q.empty()}, {"results", json::array()}, {"message", nullptr}};
    if (q.empty()) return Page(ctx, 200, "Sök", "search", view);
    if (LooksLikeNumber(q)) {
      auto number = ParseIdentityNumber(q, Today(services));
      if (!number.ok()) {
        view["message"] = fmt::format("Numret är inte giltigt: {}", number.status().message());
      } else if (auto person = services.store.FindPersonByIdentityNumber(number->digits)) {
        view["results"].push_back(PersonResult(ctx, services, *person));
      }
    } else if (Characters(q) < kMinNameLength) {
      view["message"] = "Skriv minst två tecken av namnet.";
    } else {
      // One more than is shown tells whether there are more; only those shown are read and logged.
      auto persons = services.store.FindPersonsByName(q, ctx.principal->unit, kMaxNameResults + 1);
      if (persons.size() > static_cast<size_t>(kMaxNameResults)) {
        persons.pop_back();
        view["truncated"] = true;
      }
      for (const auto& person : persons) view["results"].push_back(PersonResult(ctx, services, person));
    }
    view["count"] = view["results"].size();
    view["none"] = view["results"].empty() && view["message"].is_null();
    return Page(ctx, 200, "Sök", "search", view);
  };
}

}  // namespace

void RegisterSearchPage(Router& router, const AppServices& services) {
  router.Add(PageRoute("GET", "/search", "Search persons by identity number or name, within the user's unit",
                       Permission::kReadCases, true, Search(services)));
}

}  // namespace nysol::web::pages
