#include "web/review_routes.h"

#include <fmt/format.h>

#include <map>

#include "web/api_error.h"
#include "web/api_json.h"

namespace nysol::web {
namespace {

using access::Permission;
using nlohmann::json;

constexpr int kDefaultReviewDays = 30;
constexpr int64_t kDefaultManyPersons = 50;  // distinct persons read by one user in a day worth a look

// The period to review: query 'from' and 'to' (Stockholm dates, inclusive), by default the last 30 days.
Status ReviewPeriod(const RequestContext& ctx, const AppServices& services, Date* from, Date* to) {
  Date today = ToStockholm(services.clock.Now()).date;
  *to = today;
  *from = std::chrono::year_month_day{std::chrono::sys_days{today} - std::chrono::days{kDefaultReviewDays}};
  for (auto [key, target] : {std::pair{"from", from}, std::pair{"to", to}}) {
    if (auto text = QueryValue(ctx.request, key)) {
      auto date = ParseDate(*text);
      if (!date.ok()) return Error(ErrorCode::kInvalidDate, fmt::format("query '{}': {}", key, date.status().message()));
      *target = *date;
    }
  }
  if (*from > *to) return Error(ErrorCode::kInvalidInput, "query 'from' is after 'to'");
  return Status::Ok();
}

json EntryJson(const access::AccessEntry& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"username", e.username},
          {"unit", e.unit},
          {"action", e.action},
          {"route", e.route},
          {"person_id", e.person_id ? json(*e.person_id) : json()},
          {"matter_id", e.matter_id ? json(*e.matter_id) : json()},
          {"remote_address", e.remote_address},
          {"emergency", e.emergency},
          {"reason", OptJson(e.reason)},
          {"outside_unit", e.outside_unit},
          {"protected_person", e.protected_person}};
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// query 'format': json (the default) or html (a page for reviewers, in Swedish).
Result<bool> WantsHtml(const RequestContext& ctx) {
  auto format = QueryValue(ctx.request, "format").value_or("json");
  if (format != "json" && format != "html") {
    return Error(ErrorCode::kInvalidInput, "query 'format' must be 'json' or 'html'");
  }
  return format == "html";
}

HttpResponse Html(std::string body) {
  HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(body);
  return response;
}

std::string Page(const std::string& title, const std::string& content) {
  return fmt::format("<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{0}</title></head>"
                     "<body><main><h1>{0}</h1>{1}</main></body></html>",
                     Escape(title), content);
}

std::string YesNo(bool value) { return value ? "Ja" : "Nej"; }

std::string EntriesTable(const json& items) {
  std::string html =
      "<table><caption>Loggposter, nyast först</caption><tr><th scope=\"col\">Tid (UTC)</th><th scope=\"col\">"
      "Användare</th><th scope=\"col\">Enhet</th><th scope=\"col\">Åtgärd</th><th scope=\"col\">Väg</th>"
      "<th scope=\"col\">Person</th><th scope=\"col\">Ärende</th><th scope=\"col\">Nödåtkomst</th>"
      "<th scope=\"col\">Skäl</th><th scope=\"col\">Skyddad person</th><th scope=\"col\">Från</th></tr>";
  for (const auto& e : items) {
    html += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>",
        Escape(Text(e["at"])), Escape(Text(e["username"])), Escape(Text(e["unit"])),
        e["action"] == "read" ? "Läst" : e["action"] == "write" ? "Ändrat" : Escape(Text(e["action"])),
        Escape(Text(e["route"])), e["person_id"].is_null() ? "" : Text(e["person_id"]),
        e["matter_id"].is_null() ? "" : Text(e["matter_id"]), YesNo(e["emergency"].get<bool>()),
        e["reason"].is_null() ? "" : Escape(Text(e["reason"])), YesNo(e["protected_person"].get<bool>()),
        Escape(Text(e["remote_address"])));
  }
  return html + "</table>";
}

// "Who has looked at this child" (query person_id) or "what has this user looked at" (query username).
Handler AccessLogHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    access::AccessQuery query;
    if (auto period = ReviewPeriod(ctx, services, &query.from, &query.to); !period.ok()) return ErrorResponse(period);
    if (auto person = QueryValue(ctx.request, "person_id")) {
      auto id = PositiveId(*person, "person_id");
      if (!id.ok()) return ErrorResponse(id.status());
      query.person_id = *id;
    }
    query.username = QueryValue(ctx.request, "username");
    if (!query.person_id && !query.username) {
      return ErrorResponse(Error(ErrorCode::kInvalidInput, "give query 'person_id' or 'username' (or both)"));
    }
    if (auto limit = QueryValue(ctx.request, "limit")) {
      auto parsed = PositiveId(*limit, "limit");
      if (!parsed.ok() || *parsed > kMaxListLimit) {
        return ErrorResponse(Error(ErrorCode::kInvalidInput, fmt::format("query 'limit' must be 1–{}", kMaxListLimit)));
      }
      query.limit = static_cast<int>(*parsed);
    }
    auto html = WantsHtml(ctx);
    if (!html.ok()) return ErrorResponse(html.status());
    json items = json::array();
    for (const auto& entry : services.access_log.Find(query)) items.push_back(EntryJson(entry));
    // Reviewing who read a person is itself a read of that person's data.
    ctx.Read(query.person_id, std::nullopt);
    if (*html) {
      std::string who = query.person_id ? fmt::format("person {}", *query.person_id) : "";
      if (query.username) who += (who.empty() ? "" : ", ") + fmt::format("användare {}", *query.username);
      return Html(Page("Loggkontroll", fmt::format("<p>{} – {} · {}</p>", FormatDate(query.from), FormatDate(query.to),
                                                   Escape(who)) + EntriesTable(items)));
    }
    return Json(200, {{"from", FormatDate(query.from)}, {"to", FormatDate(query.to)}, {"items", items}});
  };
}

Handler AnomaliesHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    Date from, to;
    if (auto period = ReviewPeriod(ctx, services, &from, &to); !period.ok()) return ErrorResponse(period);
    int64_t many = kDefaultManyPersons;
    if (auto text = QueryValue(ctx.request, "many_persons")) {
      auto parsed = PositiveId(*text, "many_persons");
      if (!parsed.ok()) return ErrorResponse(parsed.status());
      many = *parsed;
    }
    auto html = WantsHtml(ctx);
    if (!html.ok()) return ErrorResponse(html.status());
    json items = json::array();
    for (const auto& a : services.access_log.Anomalies(from, to, many)) {
      json item = {{"kind", a.kind}, {"username", a.username}, {"unit", a.unit}, {"day", FormatDate(a.day)}};
      if (a.entry) item["entry"] = EntryJson(*a.entry);
      if (a.kind == "many_persons") item["persons"] = a.persons;
      items.push_back(item);
    }
    ctx.Read(std::nullopt, std::nullopt);  // the list names persons by id
    if (*html) {
      static const std::map<std::string, std::string> kKinds = {
          {"emergency_access", "Nödåtkomst"},
          {"outside_unit", "Utanför egen enhet"},
          {"protected_person", "Läsning av skyddad person"},
          {"many_persons", "Många personer samma dag"}};
      std::string rows;
      for (const auto& a : items) {
        std::string detail = a.contains("entry") ? fmt::format("{} person {} ärende {} {}", Escape(Text(a["entry"]["route"])),
                                                               Text(a["entry"]["person_id"]), Text(a["entry"]["matter_id"]),
                                                               a["entry"]["reason"].is_null() ? "" : "– " + Escape(Text(a["entry"]["reason"])))
                                                 : fmt::format("{} personer", Text(a["persons"]));
        rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Text(a["day"]),
                            kKinds.at(a["kind"].get<std::string>()), Escape(Text(a["username"])), Escape(Text(a["unit"])),
                            detail);
      }
      return Html(Page("Avvikelser i loggen",
                       fmt::format("<p>{} – {}; många personer = fler än {} på en dag</p>", FormatDate(from),
                                   FormatDate(to), many) +
                           "<table><tr><th scope=\"col\">Dag</th><th scope=\"col\">Slag</th><th scope=\"col\">"
                           "Användare</th><th scope=\"col\">Enhet</th><th scope=\"col\">Uppgift</th></tr>" +
                           rows + "</table>"));
    }
    return Json(200, {{"from", FormatDate(from)}, {"to", FormatDate(to)}, {"many_persons", many}, {"items", items}});
  };
}

// Registerutdrag: everything stored about a person and who has read it.
json Extract(const AppServices& services, const access::Principal& viewer, const store::PersonRow& person) {
  json matters = json::array();
  for (const auto& summary : services.store.MattersOfPerson(person.id)) {
    auto matter = services.store.LoadMatter(summary.id);
    if (matter.ok()) matters.push_back(MatterJson(*matter, services, viewer));
  }
  bool hide = !access::MaySeeLocatingData(viewer, person.protected_identity);
  json journal = json::array();
  for (const auto& e : services.store.PersonJournal(person.id)) journal.push_back(EventJson(e, hide));
  json reads = json::array();
  access::AccessQuery query;
  query.person_id = person.id;
  query.from = Date{std::chrono::year{2000}, std::chrono::January, std::chrono::day{1}};
  query.to = ToStockholm(services.clock.Now()).date;
  query.limit = 100000;
  for (const auto& entry : services.access_log.Find(query)) {
    reads.push_back({{"at", entry.at}, {"username", entry.username}, {"unit", entry.unit}, {"action", entry.action},
                     {"matter_id", entry.matter_id ? json(*entry.matter_id) : json()},
                     {"emergency", entry.emergency}});
  }
  return {{"made_at", FormatUtc(services.clock.Now())},
          {"made_by", viewer.username},
          {"person", PersonJson(person, viewer)},
          {"matters", matters},
          {"journal", journal},
          {"access_log", reads}};
}

// The extract as a printable Swedish document.
std::string ExtractHtml(const json& extract) {
  const json& p = extract["person"];
  std::string html = fmt::format(
      "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Registerutdrag</title></head><body>"
      "<h1>Registerutdrag</h1><p>Upprättat {} av {}.</p><h2>Personuppgifter</h2><dl>"
      "<dt>Personnummer</dt><dd>{}</dd><dt>Namn</dt><dd>{}</dd><dt>Adress</dt><dd>{}</dd>"
      "<dt>Skyddade personuppgifter</dt><dd>{}</dd></dl>",
      Escape(Text(extract["made_at"])), Escape(Text(extract["made_by"])), Escape(Text(p["identity_number"])),
      Escape(Text(p["name"])),
      p["address_hidden"].get<bool>() ? "Skyddad – lämnas ut separat" : Escape(Text(p["address"])),
      p["protected_identity"].get<bool>() ? "Ja" : "Nej");
  html += "<h2>Ärenden</h2><table><tr><th>Ärende</th><th>Slag</th><th>Enhet</th><th>Inkom</th><th>Fas</th></tr>";
  for (const auto& m : extract["matters"]) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Text(m["id"]),
                        Escape(Text(m["kind"])), Escape(Text(m["unit"])), Escape(Text(m["received_on"])),
                        Escape(Text(m["phase"])));
  }
  html += "</table><h2>Journal</h2><table><tr><th>Tid</th><th>Händelse</th><th>Av</th><th>Uppgifter</th></tr>";
  for (const auto& e : extract["journal"]) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(Text(e["occurred_at"])),
                        Escape(Text(e["kind"])), Escape(Text(e["actor"])), Escape(e["payload"].dump()));
  }
  html += "</table><h2>Vem har läst uppgifterna</h2><table><tr><th>Tid (UTC)</th><th>Användare</th><th>Enhet</th>"
          "<th>Åtgärd</th><th>Nödåtkomst</th></tr>";
  for (const auto& r : extract["access_log"]) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", Escape(Text(r["at"])),
                        Escape(Text(r["username"])), Escape(Text(r["unit"])), Escape(Text(r["action"])),
                        r["emergency"].get<bool>() ? "Ja" : "Nej");
  }
  html += "</table></body></html>";
  return html;
}

Handler ExtractHandler(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto person_id = PositiveId(ctx.params.at("id"), "person id");
    if (!person_id.ok()) return ErrorResponse(person_id.status());
    auto html = WantsHtml(ctx);
    if (!html.ok()) return ErrorResponse(html.status());
    auto person = services.store.GetPerson(*person_id);
    if (!person) return ErrorResponse(Error(ErrorCode::kNotFound, fmt::format("there is no person {}", *person_id)));
    json extract = Extract(services, *ctx.principal, *person);
    ctx.Read(person->id, std::nullopt, false, person->protected_identity);
    // The extract spans every unit; matters of other units are logged as such so that reviewers see it.
    for (const auto& m : extract["matters"]) {
      ctx.Read(person->id, m["id"].get<int64_t>(), m["unit"] != ctx.principal->unit, person->protected_identity);
    }
    return *html ? Html(ExtractHtml(extract)) : Json(200, extract);
  };
}

}  // namespace

void RegisterReviewRoutes(Router& router, const AppServices& services) {
  router.Add({"GET", "/api/v1/access-log", "Who read or wrote a person's data, or what a user read",
              Permission::kReviewAccessLog, true, AccessLogHandler(services)});
  router.Add({"GET", "/api/v1/access-log/anomalies",
              "Emergency access, access outside one's unit, reads of protected persons, unusually many persons",
              Permission::kReviewAccessLog, true, AnomaliesHandler(services)});
  router.Add({"GET", "/api/v1/persons/{id}/extract", "Registerutdrag: everything stored about a person, and who read it",
              Permission::kReviewAccessLog, true, ExtractHandler(services)});
}

}  // namespace nysol::web
