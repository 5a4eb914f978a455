// The first line in the browser: registering participation in an intervention offered without individual
// needs assessment (11 kap. 5 § SoL) in a few seconds, and the public page that tells people which such
// services exist, for whom, and how to reach them (no login).
#include <fmt/format.h>

#include <charconv>

#include "core/first_line_commands.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/catalog_routes.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/url.h"

namespace nysol::web::pages {
namespace {

using access::Permission;
using nlohmann::json;
using Form = std::multimap<std::string, std::string>;

json Options(std::initializer_list<std::pair<const char*, const char*>> choices, const std::string& selected) {
  json out = json::array();
  for (const auto& [value, label] : choices) {
    out.push_back({{"value", value}, {"label", label}, {"selected", selected == value}});
  }
  return out;
}

// The items this user's unit may register today: those a committee decision opens, run by the unit.
json OpenItems(const AppServices& services, const std::string& unit, const std::string& selected) {
  Date today = Today(services);
  json items = json::array();
  for (const auto& item : CatalogEntries(services.catalog, services.store.CommitteeDecisions(today), today, true)) {
    if (item["responsible_unit"] != unit) continue;
    std::string id = item["decision"]["id"].dump();
    std::string label = item["name_sv"].get<std::string>();
    if (item["decision"]["identity_exempt"] == true) label += " (utan identitet, 14 kap. 5 §)";
    items.push_back({{"value", id}, {"label", label}, {"selected", selected == id}});
  }
  return items;
}

HttpResponse RegistrationPage(RequestContext& ctx, const AppServices& services, int status, const Form* posted,
                              json error, bool done) {
  Form empty;
  const Form& form = posted ? *posted : empty;
  std::string mode = posted ? FormValue(form, "mode") : "identified";
  json today = json::array();
  for (const auto& p : services.store.FirstLineParticipations(ctx.principal->unit, Today(services))) {
    const CatalogItem* item = services.catalog.Find(p["item_code"].get<std::string>(), Today(services));
    // An identified adult who wants an assessment can be referred with one step, once.
    bool referable = p["mode"] == "identified" && p["referred_matter_id"].is_null() && p["age"].is_number() &&
                     p["age"].get<int>() >= 18;
    today.push_back({{"id", p["id"]},
                     {"item", item ? item->name_sv : p["item_code"].get<std::string>()},
                     {"identified", p["mode"] == "identified"},
                     {"count", p["count"]},
                     {"by", p["recorded_by"]},
                     {"referred_matter_id", p["referred_matter_id"]},
                     {"referable", referable}});
  }
  json view = {{"csrf", CsrfToken(ctx)},
               {"items", OpenItems(services, ctx.principal->unit, FormValue(form, "decision_id"))},
               {"date", posted ? FormValue(form, "date") : FormatDate(Today(services))},
               {"identified", mode != "non_identifying"},
               {"identity_number", FormValue(form, "identity_number")},
               {"guardian_consent", !FormValue(form, "guardian_consent").empty()},
               {"suitability_judgement", FormValue(form, "suitability_judgement")},
               {"count", posted ? FormValue(form, "count") : "1"},
               {"bases", Options({{"advice", "Rådgivning (14 kap. 4 §)"},
                                  {"identity_exempt", "Nämndens beslut att inte dokumentera identitet (14 kap. 5 §)"}},
                                 FormValue(form, "basis"))},
               {"age_bands", Options({{"0-12", "0–12 år"}, {"13-17", "13–17 år"}, {"18-29", "18–29 år"},
                                      {"30-49", "30–49 år"}, {"50-64", "50–64 år"}, {"65-79", "65–79 år"},
                                      {"80+", "80 år och äldre"}, {"unknown", "Okänd ålder"}},
                                     FormValue(form, "age_band"))},
               {"genders", Options({{"female", "Kvinna/flicka"}, {"male", "Man/pojke"}, {"other", "Annat"},
                                    {"unknown", "Okänt"}},
                                   FormValue(form, "gender"))},
               {"note", FormValue(form, "note")},
               {"informed", posted ? !FormValue(form, "informed_about_application").empty() : false},
               {"error", std::move(error)},
               {"done", done},
               {"today", today},
               {"has_today", !today.empty()}};
  view["has_items"] = !view["items"].empty();
  json units = json::array();
  for (const auto& unit : services.users.Units()) {
    if (unit.code != ctx.principal->unit) units.push_back({{"value", unit.code}, {"label", unit.name_sv}});
  }
  view["units"] = units;
  return Page(ctx, status, "Registrera deltagande", "first_line_new", view);
}

// The form as the API's body: only the fields of the chosen way of registering.
Result<json> RegistrationInput(const Form& form) {
  json body = {{"date", FormValue(form, "date")},
               {"mode", FormValue(form, "mode")},
               {"informed_about_application", !FormValue(form, "informed_about_application").empty()}};
  int64_t decision_id = 0;
  std::string decision = FormValue(form, "decision_id");
  auto [end, ec] = std::from_chars(decision.data(), decision.data() + decision.size(), decision_id);
  if (decision.empty() || ec != std::errc() || end != decision.data() + decision.size()) {
    return Error(ErrorCode::kInvalidInput, "Välj en insats.");
  }
  body["decision_id"] = decision_id;
  if (FormValue(form, "mode") == "non_identifying") {
    int64_t count = 0;
    std::string text = FormValue(form, "count");
    auto [count_end, count_ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (text.empty() || count_ec != std::errc() || count_end != text.data() + text.size()) {
      return Error(ErrorCode::kInvalidInput, "Fyll i antal deltagare med siffror.");
    }
    body["count"] = count;
    for (auto [key, label] : {std::pair{"basis", "Grund"}, std::pair{"age_band", "Ålder"}, std::pair{"gender", "Kön"}}) {
      if (FormValue(form, key).empty()) return Error(ErrorCode::kInvalidInput, fmt::format("Välj ”{}”.", label));
      body[key] = FormValue(form, key);
    }
    if (!FormValue(form, "note").empty()) body["note"] = FormValue(form, "note");
  } else {
    if (FormValue(form, "identity_number").empty()) return Error(ErrorCode::kInvalidInput, "Fyll i personnumret.");
    body["person"] = {{"identity_number", FormValue(form, "identity_number")}};
    if (!FormValue(form, "guardian_consent").empty()) body["guardian_consent"] = true;
    if (!FormValue(form, "suitability_judgement").empty()) body["suitability_judgement"] = FormValue(form, "suitability_judgement");
  }
  return body;
}

Handler ShowRegistration(const AppServices& services) {
  return [services](RequestContext& ctx) {
    return RegistrationPage(ctx, services, 200, nullptr, nullptr, ctx.request.query.count("done") > 0);
  };
}

Handler SubmitRegistration(const AppServices& services) {
  return [services](RequestContext& ctx) {
    Form form;
    if (!ParseForm(ctx.request.body, &form)) {
      return ErrorPage(ctx.request, Error(ErrorCode::kInvalidInput, "the form cannot be read"));
    }
    auto body = RegistrationInput(form);
    if (!body.ok()) return RegistrationPage(ctx, services, 422, &form, ErrorView(body.status(), true), false);
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return RegisterFirstLineParticipation(services.catalog, *body, command);
    });
    if (!events.ok()) {
      return RegistrationPage(ctx, services, ErrorResponse(events.status()).status, &form,
                              ErrorView(events.status(), false), false);
    }
    return SeeOther("/first-line/new?done=1");
  };
}

// The person wants their needs assessed: their contact becomes an application in the chosen unit.
Handler SubmitReferral(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto id = PositiveId(ctx.params.at("id"), "participation id");
    if (!id.ok()) return ErrorPage(ctx.request, id.status());
    Form form;
    if (!ParseForm(ctx.request.body, &form)) {
      return ErrorPage(ctx.request, Error(ErrorCode::kInvalidInput, "the form cannot be read"));
    }
    std::string to_unit = FormValue(form, "to_unit");
    if (!services.users.UnitExists(to_unit)) {
      return RegistrationPage(ctx, services, 422, nullptr, ErrorView(Error(ErrorCode::kInvalidInput, "Välj en enhet."), true), false);
    }
    json body = {{"to_unit", to_unit},
                 {"text", FormValue(form, "text").empty() ? "Vill ansöka om bistånd efter kontakt med första linjen."
                                                      : FormValue(form, "text")}};
    auto events = WriteAndLog(ctx, services, [&](CaseView& view) {
      auto command = MakeCommandContext(services, *ctx.principal, view);
      return ReferFirstLineToApplication(*id, body, command);
    });
    if (!events.ok()) {
      return RegistrationPage(ctx, services, ErrorResponse(events.status()).status, nullptr,
                              ErrorView(events.status(), false), false);
    }
    return SeeOther("/first-line/new?done=1");
  };
}

// Public: what the first line offers today, for whom and how to reach it (11 kap. 5 § SoL).
Handler Services(const AppServices& services) {
  return [services](RequestContext&) {
    Date today = Today(services);
    json rows = json::array();
    static const std::map<std::string, std::string> kModes = {
        {"on_site", "på plats"}, {"digital", "digitalt"}, {"phone", "telefon"}, {"home_visit", "hembesök"}};
    for (const auto& item : CatalogEntries(services.catalog, services.store.CommitteeDecisions(today), today, true)) {
      std::string modes;
      for (const auto& m : item["delivery_modes"]) modes += (modes.empty() ? "" : ", ") + kModes.at(m.get<std::string>());
      const json& decision = item["decision"];
      rows.push_back({{"name", item["name_sv"]},
                      {"description", item["description_sv"]},
                      {"target_group", decision["target_group"].is_string() ? decision["target_group"] : item["target_group_sv"]},
                      {"modes", modes},
                      {"contact", item["contact"]},
                      {"anonymous", decision["identity_exempt"] == true}});
    }
    return PublicPage(200, "Stöd utan ansökan", "services",
                      {{"services", rows}, {"has_services", !rows.empty()}, {"date", FormatDate(today)}});
  };
}

}  // namespace

void RegisterFirstLinePages(Router& router, const AppServices& services) {
  router.Add(PageRoute("GET", "/first-line/new", "Register first-line participation (11 kap. 5 § SoL)",
                       Permission::kRecordFirstLine, false, ShowRegistration(services)));
  router.Add(PageRoute("POST", "/first-line/new", "Register first-line participation from the form",
                       Permission::kRecordFirstLine, true, SubmitRegistration(services)));
  router.Add(PageRoute("POST", "/first-line/{id}/application",
                       "Turn an identified adult's participation into an application", Permission::kRecordFirstLine,
                       true, SubmitReferral(services)));
  router.Add(PageRoute("GET", "/services", "Public: the services offered without application, and how to reach them",
                       std::nullopt, false, Services(services)));
}

}  // namespace nysol::web::pages
