// What the API handlers share: JSON answers, path and query parsing, and how persons, reports, matters and
// events look in the API. Locating data of protected persons is left out here, once, for every route.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "access/policy.h"
#include "core/matter_commands.h"
#include "web/json_text.h"
#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web {

constexpr int kMaxListLimit = 500;

HttpResponse Json(int status, const nlohmann::json& body);
// An answer whose JSON is already written.
HttpResponse JsonText(int status, std::string body);
Result<int64_t> PositiveId(const std::string& text, std::string_view what);
std::optional<std::string> QueryValue(const HttpRequest& request, const std::string& key);
// Query 'date' (YYYY-MM-DD), or today in Stockholm when absent; kInvalidDate naming the query when malformed.
Result<Date> DateQuery(const AppServices& services, const HttpRequest& request);
nlohmann::json OptJson(const std::optional<std::string>& value);
nlohmann::json OptDateJson(const std::optional<Date>& value);
std::optional<std::string> OptDateText(const std::optional<Date>& value);

// A person as `viewer` may see them: address only when not protected or when the viewer is authorised.
nlohmann::json PersonJson(const store::PersonRow& p, const access::Principal& viewer);
nlohmann::json ReportJson(const store::ReportRow& r);
// The same person and report written as text.
// `hide_address` hides it whoever the viewer is (VisibleReports::address_hidden).
void WritePerson(JsonWriter& w, const store::PersonRow& p, const access::Principal& viewer,
                 bool hide_address = false);
void WriteReport(JsonWriter& w, const store::ReportRow& r);
nlohmann::json ClocksJson(const MatterState& m, const AppServices& services);
// The same clocks written as text.
void WriteClocks(JsonWriter& w, const MatterState& m, const AppServices& services);
nlohmann::json EventJson(const Event& e, bool hide_locating_data);

// The whole matter as the case worker sees it: state, person, clocks, reports, decisions, timeline, next
// steps. Built once, then taken as JSON (the pages, the extract) or written as text (the API), where the
// timeline's payloads are copied as the journal holds them instead of parsed and written again: the timeline
// is most of a matter's JSON.
class MatterView {
 public:
  // `m`, `services` and `viewer` are used until the view is taken: they must outlive it.
  MatterView(const MatterState& m, const AppServices& services, const access::Principal& viewer);
  // Whether the matter's person has protected identity (for the access log).
  bool protected_person() const { return protected_person_; }
  // A member "events" beside the matter's own: what a write just appended.
  void SetEvents(nlohmann::json events) { events_ = std::move(events); }
  nlohmann::json Json() &&;
  // The same JSON as Json().dump(), except that "timeline" is the last member: everything written as text,
  // the members in dump()'s order, but the decisions and notes, which are few and parsed from their payloads.
  std::string Text() const;

 private:
  const MatterState& m_;
  const AppServices& services_;
  const access::Principal& viewer_;
  store::MatterDetails details_;  // its journal is the timeline
  nlohmann::json decisions_ = nlohmann::json::array();
  nlohmann::json notes_ = nlohmann::json::array();
  std::optional<std::string> preliminary_decision_;
  std::optional<std::string> closure_reason_;
  std::optional<nlohmann::json> events_;
  bool protected_person_ = false;
  bool hide_locating_data_ = false;
};
nlohmann::json MatterJson(const MatterState& m, const AppServices& services, const access::Principal& viewer);
nlohmann::json EventRefs(const Events& events);

CommandContext MakeCommandContext(const AppServices& services, const access::Principal& principal, CaseView& view);
// What a write touched, as access-log records: one per person and matter.
std::vector<access::AccessRecord> WriteRecords(const Events& events, bool outside_unit = false);
// Runs a write and logs it in the same transaction, so a write never stands without its access-log rows.
// `records` says what to log from the events; by default WriteRecords, flagged outside_unit where the matter
// belongs to another unit than the writer's (a report attached to another unit's investigation).
using RecordsOf = std::function<std::vector<access::AccessRecord>(const Events&)>;
Result<Events> WriteAndLog(RequestContext& ctx, const AppServices& services, const store::CaseStore::Decider& decide,
                           const RecordsOf& records = nullptr);

// Each matter's unit, by matter id.
std::map<int64_t, std::string> MatterUnits(const std::vector<store::MatterSummary>& matters);
// The reports about a person that the request may see, and the units whose reports it may not see, named so
// that a case worker knows to ask (or use emergency access). When all the person's reports are elsewhere, the
// address is hidden: the searcher learns that they are known, not where they live. Logs one read for the
// person.
struct VisibleReports {
  std::vector<store::ReportRow> shown;
  std::set<std::string> other_units;
  bool address_hidden() const { return shown.empty() && !other_units.empty(); }
};
VisibleReports ReportsVisibleTo(RequestContext& ctx, const AppServices& services,
                                const store::PersonRow& person,
                                const std::map<int64_t, std::string>& matter_units);
// The same as members of `answer`: "reports", "other_units", and the address hidden in answer["person"] (or
// in `answer` itself when it is the person).
void AddVisibleReports(const VisibleReports& visible, nlohmann::json* answer);

// Work distribution, checked before AssignMatter and TransferMatter run: team leads distribute the matters of
// their own unit only, to users who handle cases in the matter's (or the receiving) unit.
Status CheckLeadsUnit(const RequestContext& ctx, const MatterState& matter);
Status CheckAssignee(const AppServices& services, const nlohmann::json& body, std::string_view unit);
Status CheckAssignment(const AppServices& services, const RequestContext& ctx, const MatterState& matter,
                       const nlohmann::json& body);

// Refuses a request for `what` of another unit than the user's (inner confidentiality).
Status OutsideUnit(const RequestContext& ctx, std::string_view what, std::string_view unit);

// A step on a matter, for the API and the pages alike: loads the matter inside the write transaction, checks
// that the user's unit may reach it (`*reach` says whether by emergency access), runs `check` (may be null) and
// `command`, and logs the write with it.
Result<Events> WriteMatterStep(RequestContext& ctx, const AppServices& services, int64_t matter_id,
                               MatterCommand command, const nlohmann::json& body, access::Reach* reach,
                               const std::function<Status(const MatterState&)>& check = nullptr);

}  // namespace nysol::web
