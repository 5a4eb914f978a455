// Registering a report of concern (orosanmälan, 19 kap. SoL) from the browser, keyboard only: the identity
// number is checked as it is typed, and earlier reports about the same child are shown at once.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/identity_number.h"
#include "core/matter_commands.h"
#include "store/drafts.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/pages/swedish.h"
#include "web/url.h"

namespace nysol::web::pages {
namespace {

using access::Permission;
using nlohmann::json;

constexpr std::string_view kTextDraft = "report/new/text";

std::string Field(const std::multimap<std::string, std::string>& form, const std::string& key) {
  auto it = form.find(key);
  std::string value = it == form.end() ? std::string() : it->second;
  std::erase(value, '\r');
  while (!value.empty() && (value.back() == ' ' || value.back() == '\n')) value.pop_back();
  while (!value.empty() && (value.front() == ' ' || value.front() == '\n')) value.erase(0, 1);
  return value;
}

json Choices(const AppServices& services, std::string_view list, const std::string& selected) {
  json choices = json::array();
  for (const auto& code : services.rulebook.Codes(list, Today(services))) {
    choices.push_back({{"value", code.code}, {"label", code.name_sv}, {"selected", code.code == selected}});
  }
  return choices;
}

// What the live check says about a typed identity number: valid or why not, and, when the child is known, the
// earlier reports the user's unit may see (and that other units have some).
json IdentityHint(RequestContext& ctx, const AppServices& services, const std::string& text) {
  // Nothing to say until a whole number (10 or 12 digits) has been typed: no error for every digit on the way.
  if (std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }) < 10) {
    return {{"empty", true}};
  }
  auto number = ParseIdentityNumber(text, Today(services));
  if (!number.ok()) return {{"invalid", true}, {"detail", number.status().message()}};
  int age = number->AgeOn(Today(services));
  json hint = {{"valid", true},
               {"long", number->Long()},
               {"kind", number->kind == IdentityKind::kPersonnummer ? "Personnummer" : "Samordningsnummer"},
               {"age", age},
               {"adult", age >= 18},
               {"known", false}};
  auto person = services.store.FindPersonByIdentityNumber(number->digits);
  if (!person) return hint;
  json answer = json::object();
  AddVisibleReports(
      ReportsVisibleTo(ctx, services, *person, MatterUnits(services.store.MattersOfPerson(person->id))),
      &answer);
  json reports = ReportRowsSv(services, answer["reports"]);
  hint["known"] = true;
  hint["name"] = person->name ? json(*person->name) : json();
  hint["reports"] = reports;
  hint["report_count"] = reports.size();
  hint["other_units"] = !answer["other_units"].empty();
  return hint;
}

HttpResponse ReportForm(RequestContext& ctx, const AppServices& services, int status,
                        const std::multimap<std::string, std::string>* posted, json error) {
  auto value = [&](const std::string& key) { return posted ? Field(*posted, key) : std::string(); };
  std::string text = value("text");
  if (!posted) {
    auto drafts = store::Drafts(services.store.path()).WithPrefix(ctx.principal->user_id, kTextDraft);
    if (drafts.ok() && drafts->count(std::string(kTextDraft))) text = drafts->at(std::string(kTextDraft));
  }
  std::string received_at = value("received_at");
  if (received_at.empty()) received_at = FormatLocalDateTime(ToStockholm(services.clock.Now())).substr(0, 16);
  json view = {{"csrf", CsrfToken(ctx)},
               {"identity_number", value("identity_number")},
               {"hint", IdentityHint(ctx, services, value("identity_number"))},
               {"name", value("name")},
               {"birth_year", value("birth_year")},
               {"more_children", value("more_children")},
               {"unknown_open", !value("name").empty() || !value("birth_year").empty() ||
                                    !value("more_children").empty()},
               {"categories", Choices(services, "reporter_category", value("reporter_category"))},
               {"channels", Choices(services, "channel", posted ? value("channel") : "phone")},
               {"received_at", received_at},
               {"reporter_name", value("reporter_name")},
               {"text", text},
               {"draft_key", kTextDraft},
               {"error", std::move(error)}};
  return Page(ctx, status, "Ny orosanmälan", "report_new", view);
}

// The form as the API's body for RegisterReport; what the form itself requires is refused in Swedish.
Result<json> ReportInput(const std::multimap<std::string, std::string>& form) {
  json children = json::array();
  std::string number = Field(form, "identity_number");
  std::string name = Field(form, "name");
  std::string birth_year = Field(form, "birth_year");
  if (!number.empty()) {
    json child = {{"identity_number", number}};
    if (!name.empty()) child["name"] = name;
    children.push_back(child);
  } else if (!name.empty()) {
    json child = {{"name", name}};
    if (!birth_year.empty()) {
      int year = 0;
      auto [end, ec] = std::from_chars(birth_year.data(), birth_year.data() + birth_year.size(), year);
      if (ec != std::errc() || end != birth_year.data() + birth_year.size()) {
        return Error(ErrorCode::kInvalidInput, "Fyll i födelseåret med fyra siffror, till exempel 2016.");
      }
      child["birth_year"] = year;
    }
    children.push_back(child);
  }
  std::string more = Field(form, "more_children");
  for (char& c : more) {
    if (c == ',' || c == ';') c = '\n';
  }
  for (size_t start = 0; start < more.size();) {
    size_t end = more.find('\n', start);
    if (end == std::string::npos) end = more.size();
    std::string line = more.substr(start, end - start);
    line.erase(0, line.find_first_not_of(' '));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) children.push_back({{"identity_number", line}});
    start = end + 1;
  }
  if (children.empty()) {
    return Error(ErrorCode::kInvalidInput,
                 "Fyll i barnets personnummer, eller namn (och födelseår om det är känt) om identiteten är okänd.");
  }
  for (auto [key, label] : {std::pair{"reporter_category", "Anmälare"}, std::pair{"channel", "Kanal"},
                            std::pair{"received_at", "Inkom"}, std::pair{"text", "Vad anmälan gäller"}}) {
    if (Field(form, key).empty()) return Error(ErrorCode::kInvalidInput, fmt::format("Fyll i ”{}”.", label));
  }
  json body = {{"received_at", Field(form, "received_at")},
               {"reporter_category", Field(form, "reporter_category")},
               {"channel", Field(form, "channel")},
               {"text", Field(form, "text")},
               {"children", children}};
  if (std::string reporter = Field(form, "reporter_name"); !reporter.empty()) body["reporter_name"] = reporter;
  return body;
}

Handler NewReport(const AppServices& services) {
  return [services](RequestContext& ctx) { return ReportForm(ctx, services, 200, nullptr, nullptr); };
}

Handler SubmitReport(const AppServices& services) {
  return [services](RequestContext& ctx) {
    std::multimap<std::string, std::string> form;
    if (!ParseForm(ctx.request.body, &form)) {
      return ErrorPage(ctx.request, Error(ErrorCode::kInvalidInput, "the form cannot be read"));
    }
    auto body = ReportInput(form);
    if (!body.ok()) return ReportForm(ctx, services, 422, &form, ErrorView(body.status(), true));
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RegisterReport(*body, command);
    });
    if (!events.ok()) {
      return ReportForm(ctx, services, ErrorResponse(events.status()).status, &form, ErrorView(events.status(), false));
    }
    (void)store::Drafts(services.store.path()).Remove(ctx.principal->user_id, kTextDraft);
    for (const auto& e : *events) {
      if (e.kind == "report_received") return SeeOther(fmt::format("/matters/{}?done=registered", *e.matter_id));
    }
    return SeeOther("/");
  };
}

Handler IdentityCheck(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto number = QueryValue(ctx.request, "identity_number").value_or("");
    return Fragment("_identity_hint", {{"hint", IdentityHint(ctx, services, number)}});
  };
}

}  // namespace

void RegisterReportPages(Router& router, const AppServices& services) {
  router.Add(PageRoute("GET", "/reports/new", "The form for a new report of concern", Permission::kWriteCases, false,
                       NewReport(services)));
  router.Add(PageRoute("POST", "/reports/new", "Register a report of concern from the form", Permission::kWriteCases,
                       true, SubmitReport(services)));
  router.Add(PageRoute("GET", "/reports/identity-check",
                       "The live check of an identity number, with earlier reports about the child (htmx)",
                       Permission::kReadCases, true, IdentityCheck(services)));
}

}  // namespace nysol::web::pages
