// The start page, one per role: the case worker's own queue, the team lead's unit queue, and today's
// registrations; roles without case access see what they can do instead.
#include <fmt/format.h>

#include "store/recent_events.h"
#include "web/api_json.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/pages/swedish.h"

namespace nysol::web::pages {
namespace {

using access::Permission;
using access::Role;
using nlohmann::json;

constexpr int kQueueLimit = 100;  // the most urgent; the rest are a search or an API call away
constexpr int kTodayLimit = 200;
constexpr int kScanLimit = 5000;  // of today's events, the newest looked at

// Reports and applications registered today: in the unit for those who handle cases, and only one's own (the
// kind and time, no content) for the first line, who have no access to case files.
json TodaysRegistrations(RequestContext& ctx, const AppServices& services, bool with_content) {
  LocalDateTime midnight{Today(services), 0, 0, 0};
  std::string since = FormatUtc(FromStockholm(midnight));
  std::vector<Event> events;
  if (with_content) {
    // Only the unit's registrations have their payloads read.
    services.store.Read([&](store::Db& db) {
      events = store::RecentMatterEvents(db, since, kScanLimit, {"report_received", "application_received"},
                                         ctx.principal->unit);
    });
  } else {
    events = services.store.RecentEvents(since, kScanLimit);
  }
  json rows = json::array();
  for (const auto& e : events) {
    if (static_cast<int>(rows.size()) >= kTodayLimit) break;
    if (with_content) {
      ctx.Read(e.person_id, e.matter_id);
      rows.push_back({{"time", ShortTime(e.occurred_at)},
                      {"what", EventSv(e.kind)},
                      {"matter_id", *e.matter_id},
                      {"by", e.actor},
                      {"category", e.kind == "report_received"
                                       ? json(CodeNameSv(services, "reporter_category",
                                                         e.payload.value("reporter_category", "")))
                                       : json()}});
    } else if (e.actor == ctx.principal->username) {
      rows.push_back({{"time", ShortTime(e.recorded_at)}, {"what", EventSv(e.kind)}, {"matter_id", nullptr},
                      {"by", e.actor}, {"category", nullptr}});
    }
  }
  return rows;
}

json RulesInForce(const AppServices& services) {
  json periods = json::array();
  Date today = Today(services);
  for (const auto& rule : services.rulebook.periods()) {
    auto in_force = services.rulebook.Period(rule.id, today);
    if (!in_force.ok() || in_force->valid_from != rule.valid_from) continue;
    static constexpr const char* kUnits[] = {"dagar", "veckor", "månader"};
    periods.push_back({{"name_sv", rule.name_sv},
                       {"length", fmt::format("{} {}", rule.amount, kUnits[static_cast<int>(rule.unit)])},
                       {"law_ref", rule.law_ref}});
  }
  return periods;
}

// One queue of the start page: the most urgent matters matching `filter`, and how many there are in all.
json Queue(RequestContext& ctx, const AppServices& services, const store::MatterFilter& filter,
           std::string_view title, std::string_view id, bool lead) {
  auto matters = services.store.MattersByUrgency(filter);
  // A queue shorter than its limit is the whole queue: its length is the count, without counting again.
  int64_t open = static_cast<int64_t>(matters.size()) < filter.limit
                     ? static_cast<int64_t>(matters.size())
                     : services.store.CountOpenMatters(filter);
  json rows = QueueRows(ctx, services, matters);
  return {{"title", title},
          {"id", id},
          {"lead", lead},
          {"rows", rows},
          {"has_rows", !rows.empty()},
          {"count", open},
          {"shown", rows.size()},
          {"truncated", static_cast<int64_t>(rows.size()) < open}};
}

Handler StartPage(const AppServices& services) {
  return [services](RequestContext& ctx) {
    const access::Principal& who = *ctx.principal;
    json view = {{"name", who.display_name}, {"role", RoleSv(who.role)}, {"unit", who.unit}};
    if (access::Allows(who.role, Permission::kReadCases)) {
      bool lead = access::Allows(who.role, Permission::kLeadCases);
      store::MatterFilter filter;
      filter.unit = who.unit;
      filter.limit = kQueueLimit;
      json queues = json::array();
      if (lead) {
        queues.push_back(Queue(ctx, services, filter, "Enhetens ärenden", "unit", true));
      } else {
        filter.assigned_to = who.username;
        queues.push_back(Queue(ctx, services, filter, "Mina ärenden", "mine", false));
        // Intake works on what nobody has been given yet; an investigator sees what waits for the team lead.
        filter.assigned_to.reset();
        filter.unassigned_only = true;
        queues.push_back(Queue(ctx, services, filter, "Ej fördelade ärenden i enheten", "unassigned", false));
      }
      view["queues"] = queues;
      view["today"] = TodaysRegistrations(ctx, services, true);
    } else if (who.role == Role::kFirstLine) {
      view["today"] = TodaysRegistrations(ctx, services, false);
      view["first_line"] = true;
    } else {
      view["rules"] = RulesInForce(services);
      view["has_rules"] = !view["rules"].empty();
    }
    if (view.contains("today")) view["has_today"] = !view["today"].empty();
    return Page(ctx, 200, "Start", "start", view);
  };
}

}  // namespace

void RegisterStartPage(Router& router, const AppServices& services) {
  router.Add(PageRoute("GET", "/", "The start page for the user's role", Permission::kReadRules, true,
                       StartPage(services)));
}

}  // namespace nysol::web::pages
