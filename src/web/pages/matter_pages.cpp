// The matter page: who it is about, the legal clocks with their law references, the next legal step as the
// obvious button (the other allowed steps beside it), reports, decisions, interventions, journal notes and the
// timeline from the journal. Every step posts a plain form, which runs the same command as the API.
#include <fmt/format.h>

#include <algorithm>

#include "store/drafts.h"
#include "web/api_error.h"
#include "web/api_json.h"
#include "web/pages/case_view.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/pages/step_forms.h"
#include "web/pages/swedish.h"
#include "web/url.h"

namespace nysol::web::pages {
namespace {

using access::Permission;
using nlohmann::json;

// A refused form: which form, what went wrong, and what had been typed.
struct Refusal {
  std::string form;  // a step ("closure"), "notes", or a sub-step with its id ("interventions/3/end")
  Status status;
  bool in_swedish = false;  // the message is the form's own (Swedish); otherwise a core message, shown as detail
  FormFields posted;
};

std::string EventDetail(const AppServices& services, const json& e) {
  const std::string kind = e["kind"].get<std::string>();
  const json& p = e["payload"];
  if (kind == "report_received") {
    return fmt::format("{}, {}", CodeNameSv(services, "reporter_category", p.value("reporter_category", "")),
                       CodeNameSv(services, "channel", p.value("channel", "")));
  }
  if (kind == "protection_assessed") {
    return p.value("immediate_need", false) ? "Omedelbart skyddsbehov" : "Inget omedelbart skyddsbehov";
  }
  if (kind == "preliminary_decided") {
    return p.value("decision", "") == "open_investigation" ? "Utredning inleds" : "Utredning inleds inte";
  }
  if (kind == "preliminary_extended" || kind == "investigation_extended") {
    return fmt::format("Ny sista dag {}", p.value("new_due", ""));
  }
  if (kind == "decision_made") {
    return fmt::format("{}: {}", CodeNameSv(services, "decision_outcome", p.value("outcome", "")),
                       CodeNameSv(services, "intervention", p.value("intervention", "")));
  }
  if (kind == "decision_served") return fmt::format("Den enskilde fick del av beslutet {}", p.value("served_on", ""));
  if (kind == "intervention_started" || kind == "intervention_ended") {
    return CodeNameSv(services, "intervention", p.value("intervention", ""));
  }
  if (kind == "matter_assigned") return fmt::format("Till {}", p.value("assigned_to", ""));
  if (kind == "matter_transferred") {
    return fmt::format("Från {} till {}", p.value("from_unit", ""), p.value("to_unit", ""));
  }
  if (kind == "note_added") return p.value("kind", "") == "objection" ? "Den enskildes invändning" : "Anteckning";
  if (kind == "matter_closed") {
    std::string reason = p.value("reason", "");
    return reason == "no_investigation" ? "Utredning inleddes inte" : reason;
  }
  return "";
}

std::string Query(const RequestContext& ctx) {
  if (!ctx.emergency_reason) return "";
  std::string encoded;
  for (unsigned char c : *ctx.emergency_reason) {
    encoded += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return "?emergency_reason=" + encoded;
}

// One form of the page, with the refusal shown on it when it was the one refused.
json FormView(const StepSpec& spec, const MatterState& matter, const AppServices& services, const RequestContext& ctx,
              const std::map<std::string, std::string>& drafts, const Refusal* refusal, std::string_view form,
              std::string action, std::string_view draft_prefix) {
  bool refused = refusal && refusal->form == form;
  std::map<std::string, std::string> field_drafts;
  for (const auto& field : spec.fields) {
    auto it = drafts.find(fmt::format("{}{}", draft_prefix, field.name));
    if (it != drafts.end()) field_drafts[field.name] = it->second;
  }
  json view = StepFormView(spec, matter, services, *ctx.principal, refused ? &refusal->posted : nullptr,
                           field_drafts);
  for (auto& field : view["fields"]) {
    if (!field["draft_key"].is_null()) field["draft_key"] = fmt::format("{}{}", draft_prefix, field["name"].get<std::string>());
  }
  view["action"] = std::move(action);
  view["error"] = refused ? ErrorView(refusal->status, refusal->in_swedish) : json();
  view["open"] = refused;
  view["csrf"] = CsrfToken(ctx);
  return view;
}

HttpResponse MatterPage(RequestContext& ctx, const AppServices& services, int64_t matter_id,
                        const Refusal* refusal) {
  auto matter = services.store.LoadMatter(matter_id);
  if (!matter.ok()) return ErrorPage(ctx.request, matter.status());
  auto reach = ctx.ReachUnit(matter->unit);
  if (!reach.allowed) {
    return Page(ctx, 403, "Ingen behörighet", "outside_unit",
                {{"matter_id", matter->id}, {"unit", matter->unit}, {"own_unit", ctx.principal->unit},
                 {"may_use_emergency", access::Allows(ctx.principal->role, Permission::kEmergencyAccess)}});
  }
  json m = MatterJson(*matter, services, *ctx.principal);
  ctx.Read(matter->person_id, matter->id, reach.outside_unit, m["person"]["protected_identity"].get<bool>());
  store::Drafts drafts_store(services.store.path());
  auto drafts = drafts_store.WithPrefix(ctx.principal->user_id, fmt::format("matter/{}/", matter->id));
  std::map<std::string, std::string> drafts_by_key = drafts.ok() ? *drafts : std::map<std::string, std::string>{};
  std::string query = Query(ctx);
  std::string base = fmt::format("/matters/{}", matter->id);

  json clocks = json::array();
  for (const auto& clock : m["clocks"]) clocks.push_back(ClockView(clock));

  // A step's form, for one decision or intervention when the step is a sub-step ("decisions/3/service").
  auto form_view = [&](std::string_view step, std::optional<int64_t> id = std::nullopt) {
    const StepSpec& spec = *FindStep(step);
    std::string form = spec.Path(id);
    return FormView(spec, *matter, services, ctx, drafts_by_key, refusal, form,
                    fmt::format("{}/{}{}", base, form, query), fmt::format("matter/{}/{}/", matter->id, form));
  };
  json steps = json::array();
  for (const auto& step : m["next_steps"]) {
    if (FindStep(step.get<std::string>())) steps.push_back(form_view(step.get<std::string>()));
  }
  if (!steps.empty()) {
    // The next legal step is first and open, the others one click away; unless another form was refused,
    // which is then the open one.
    steps[0]["primary"] = true;
    bool refused_here = std::any_of(steps.begin(), steps.end(), [](const json& f) { return f["open"] == true; });
    if (!refused_here) steps[0]["open"] = true;
  }

  json reports = json::array();
  for (const auto& r : m["reports"]) {
    reports.push_back({{"received_at", ShortTime(r["received_at"].get<std::string>())},
                       {"category", CodeNameSv(services, "reporter_category", r["reporter_category"].get<std::string>())},
                       {"channel", CodeNameSv(services, "channel", r["channel"].get<std::string>())},
                       {"reporter_name", r["reporter_name"]},
                       {"text", r["text"]},
                       {"outcome", DispositionSv(r["outcome"].get<std::string>())}});
  }

  json decisions = json::array();
  for (const auto& d : m["decisions"]) {
    int64_t id = d["id"].get<int64_t>();
    json view = {{"id", id},
                 {"outcome", CodeNameSv(services, "decision_outcome", d["outcome"].get<std::string>())},
                 {"intervention", CodeNameSv(services, "intervention", d["intervention"].get<std::string>())},
                 {"legal_basis", CodeNameSv(services, "legal_basis", d["legal_basis"].get<std::string>())},
                 {"decided_on", d["decided_on"]},
                 {"decided_by", d["decided_by"]},
                 {"served_on", d.value("served_on", json())},
                 {"appeal_due", d.value("appeal_due", json())},
                 {"letter", fmt::format("{}/decisions/{}/letter{}", base, id, query)},
                 {"serve_form", nullptr}};
    if (d.value("served_on", json()).is_null() && d.value("appealable", false)) {
      view["serve_form"] = form_view("decisions/service", id);
    }
    decisions.push_back(view);
  }

  json interventions = json::array();
  for (const auto& i : m["interventions"]) {
    int64_t id = i["id"].get<int64_t>();
    json view = {{"id", id},
                 {"intervention", CodeNameSv(services, "intervention", i["intervention"].get<std::string>())},
                 {"started_on", i["started_on"]},
                 {"ended_on", i["ended_on"]},
                 {"end_form", nullptr}};
    if (i["ended_on"].is_null()) {
      view["end_form"] = form_view("interventions/end", id);
    }
    interventions.push_back(view);
  }

  json notes = json::array();
  for (const auto& n : m["notes"]) {
    json corrected_by = n["corrected_by"];
    notes.push_back({{"id", n["id"]},
                     {"objection", n["kind"] == "objection"},
                     {"text", n["text"]},
                     {"author", n["author"]},
                     {"written_at", ShortTime(n["written_at"].get<std::string>())},
                     {"corrects", n["corrects"]},
                     {"corrected_by", corrected_by.empty() ? json() : corrected_by}});
  }
  bool note_refused = refusal && refusal->form == "notes";
  std::string note_key = fmt::format("matter/{}/notes/text", matter->id);
  auto note_draft = drafts_by_key.find(note_key);
  auto posted_value = [&](const std::string& key) {
    auto it = refusal ? refusal->posted.find(key) : FormFields::const_iterator();
    return refusal && it != refusal->posted.end() ? it->second : std::string();
  };
  json note_choices = json::array();
  for (const auto& n : m["notes"]) {
    std::string id = n["id"].dump();
    note_choices.push_back({{"value", id},
                            {"label", fmt::format("Anteckning {} ({})", id, ShortTime(n["written_at"].get<std::string>()))},
                            {"selected", note_refused && posted_value("corrects") == id}});
  }
  json note_form = {{"action", fmt::format("{}/notes{}", base, query)},
                    {"csrf", CsrfToken(ctx)},
                    {"draft_key", note_key},
                    {"text", note_refused ? posted_value("text")
                                          : note_draft != drafts_by_key.end() ? note_draft->second : ""},
                    {"objection", note_refused && posted_value("kind") == "objection"},
                    {"choices", note_choices},
                    {"has_choices", !note_choices.empty()},
                    {"error", note_refused ? ErrorView(refusal->status, refusal->in_swedish) : json()}};

  // Team leads distribute their own unit's open matters.
  json assign_form = nullptr;
  if (access::Allows(ctx.principal->role, Permission::kLeadCases) && ctx.principal->unit == matter->unit &&
      matter->phase != MatterPhase::kClosed) {
    bool refused = refusal && refusal->form == "assignment";
    json choices = json::array();
    for (const auto& user : services.users.Users()) {
      if (user.unit != matter->unit || !access::Allows(user.role, Permission::kWriteCases)) continue;
      choices.push_back({{"value", user.username},
                         {"label", fmt::format("{} ({})", user.display_name, user.username)},
                         {"selected", matter->assigned_to == user.username}});
    }
    assign_form = {{"action", fmt::format("{}/assignment{}", base, query)},
                   {"csrf", CsrfToken(ctx)},
                   {"choices", choices},
                   {"error", refused ? ErrorView(refusal->status, refusal->in_swedish) : json()}};
  }

  json timeline = json::array();
  for (const auto& e : m["timeline"]) {
    std::string detail = EventDetail(services, e);
    timeline.push_back({{"time", ShortTime(e["occurred_at"].get<std::string>())},
                        {"what", EventSv(e["kind"].get<std::string>())},
                        {"detail", detail.empty() ? json() : json(detail)},
                        {"actor", e["actor"]}});
  }

  const json& person = m["person"];
  std::string done;
  if (auto it = ctx.request.query.find("done"); it != ctx.request.query.end()) {
    done = it->second == "notes"        ? "Anteckningen är sparad."
           : it->second == "registered" ? "Orosanmälan är registrerad."
           : it->second == "assignment" ? "Ärendet är fördelat."
                                        : fmt::format("Sparat: {}.", StepSv(it->second));
  }
  json view = {{"id", matter->id},
               {"kind", matter->kind == MatterKind::kChild ? "Barn" : "Vuxen"},
               {"phase", PhaseSv(m["phase"].get<std::string>())},
               {"unit", matter->unit},
               {"received_on", m["received_on"]},
               {"assigned_to", m["assigned_to"]},
               {"emergency", reach.outside_unit},
               {"person", {{"name", person.value("name", json()).is_null() ? json("Namn okänt") : person["name"]},
                           {"identity_number", person["identity_number"]},
                           {"birth_year", person["birth_year"]},
                           {"protected", person["protected_identity"]},
                           {"address", person["address"]},
                           {"address_hidden", person["address_hidden"]}}},
               {"clocks", clocks},
               {"has_clocks", !clocks.empty()},
               {"steps", steps},
               {"has_steps", !steps.empty()},
               {"reports", reports},
               {"has_reports", !reports.empty()},
               {"decisions", decisions},
               {"has_decisions", !decisions.empty()},
               {"interventions", interventions},
               {"has_interventions", !interventions.empty()},
               {"notes", notes},
               {"has_notes", !notes.empty()},
               {"note_form", note_form},
               {"assign_form", assign_form},
               {"timeline", timeline},
               {"done", done.empty() ? json() : json(done)},
               {"refused", refusal ? json(ErrorView(refusal->status, refusal->in_swedish)) : json()}};
  int status = refusal ? ErrorResponse(refusal->status).status : 200;
  return Page(ctx, status, fmt::format("Ärende {}", matter->id), "matter", view);
}

Handler ShowMatter(const AppServices& services) {
  return [services](RequestContext& ctx) {
    auto matter_id = PositiveId(ctx.params.at("id"), "matter id");
    if (!matter_id.ok()) return ErrorPage(ctx.request, matter_id.status());
    return MatterPage(ctx, services, *matter_id, nullptr);
  };
}

// The matter id from the path and the posted form; or, in `*refused`, the page saying why not.
bool ReadPost(const RequestContext& ctx, int64_t* matter_id, FormFields* form, HttpResponse* refused) {
  auto id = PositiveId(ctx.params.at("id"), "matter id");
  if (!id.ok()) {
    *refused = ErrorPage(ctx.request, id.status());
    return false;
  }
  if (!ParseForm(ctx.request.body, form)) {
    *refused = ErrorPage(ctx.request, Error(ErrorCode::kInvalidInput, "the form cannot be read"));
    return false;
  }
  *matter_id = *id;
  return true;
}

// Runs the form's command on the matter. Saved: the form's drafts go, and the browser goes back to the matter
// (303, `done` says what was saved, a reload does not post again). Refused by the command: the matter page
// again, with the reason at the form and what was typed kept. A matter that cannot be reached: an error page.
HttpResponse SaveForm(RequestContext& ctx, const AppServices& services, int64_t matter_id, const std::string& form_name,
                      MatterCommand command, const json& body, const FormFields& form, std::string_view done,
                      const std::function<Status(const MatterState&)>& check = nullptr) {
  access::Reach reach;
  auto events = WriteMatterStep(ctx, services, matter_id, command, body, &reach, check);
  if (!events.ok()) {
    if (events.status().code() == ErrorCode::kNotFound || events.status().code() == ErrorCode::kForbidden) {
      return ErrorPage(ctx.request, events.status());
    }
    Refusal refusal{form_name, events.status(), false, form};
    return MatterPage(ctx, services, matter_id, &refusal);
  }
  (void)store::Drafts(services.store.path())
      .Remove(ctx.principal->user_id, fmt::format("matter/{}/{}/", matter_id, form_name));
  std::string query = Query(ctx);
  return SeeOther(fmt::format("/matters/{}{}{}done={}", matter_id, query, query.empty() ? "?" : "&", done));
}

// A step posted from the page; a sub-step names its decision or intervention in the path.
Handler PostStep(const AppServices& services, const StepSpec& spec) {
  return [services, &spec](RequestContext& ctx) {
    int64_t matter_id = 0;
    FormFields form;
    HttpResponse refused;
    if (!ReadPost(ctx, &matter_id, &form, &refused)) return refused;
    std::optional<int64_t> sub_id;
    if (!spec.id_param.empty()) {
      auto id = PositiveId(ctx.params.at(spec.id_param), spec.id_param);
      if (!id.ok()) return ErrorPage(ctx.request, id.status());
      sub_id = *id;
    }
    std::string form_name = spec.Path(sub_id);
    auto body = StepInput(spec, form);
    if (!body.ok()) {
      Refusal refusal{form_name, body.status(), true, form};
      return MatterPage(ctx, services, matter_id, &refusal);
    }
    if (sub_id) (*body)[spec.id_param] = *sub_id;
    return SaveForm(ctx, services, matter_id, form_name, spec.command, *body, form, spec.step);
  };
}

Handler PostNote(const AppServices& services) {
  return [services](RequestContext& ctx) {
    int64_t matter_id = 0;
    FormFields form;
    HttpResponse refused;
    if (!ReadPost(ctx, &matter_id, &form, &refused)) return refused;
    auto value = [&](const char* key) {
      auto it = form.find(key);
      std::string v = it == form.end() ? std::string() : it->second;
      std::erase(v, '\r');
      return v;
    };
    json body = {{"text", value("text")}, {"kind", value("kind") == "objection" ? "objection" : "note"}};
    if (body["text"].get<std::string>().find_first_not_of(" \t\n") == std::string::npos) {
      Refusal refusal{"notes", Error(ErrorCode::kInvalidInput, "Skriv anteckningen innan du sparar."), true, form};
      return MatterPage(ctx, services, matter_id, &refusal);
    }
    if (std::string corrects = value("corrects"); !corrects.empty()) {
      auto id = PositiveId(corrects, "corrects");
      if (!id.ok()) return ErrorPage(ctx.request, id.status());
      body["corrects"] = *id;
    }
    return SaveForm(ctx, services, matter_id, "notes", AddNote, body, form, "notes#notes");
  };
}

// A team lead gives the matter to a case worker of the unit (the API's …/assignment, with its checks).
Handler PostAssignment(const AppServices& services) {
  return [services](RequestContext& ctx) {
    int64_t matter_id = 0;
    FormFields form;
    HttpResponse refused;
    if (!ReadPost(ctx, &matter_id, &form, &refused)) return refused;
    auto assignee = form.find("assigned_to");
    if (assignee == form.end() || assignee->second.empty()) {
      Refusal refusal{"assignment", Error(ErrorCode::kInvalidInput, "Välj en handläggare."), true, form};
      return MatterPage(ctx, services, matter_id, &refusal);
    }
    json body = {{"assigned_to", assignee->second}};
    return SaveForm(ctx, services, matter_id, "assignment", AssignMatter, body, form, "assignment",
                    [&](const MatterState& matter) { return CheckAssignment(services, ctx, matter, body); });
  };
}

}  // namespace

void RegisterMatterPages(Router& router, const AppServices& services) {
  router.Add(PageRoute("GET", "/matters/{id}", "A matter: clocks, next step, reports, decisions, notes, timeline",
                       Permission::kReadCases, true, ShowMatter(services)));
  for (const auto& spec : StepSpecs()) {
    router.Add(PageRoute("POST", "/matters/{id}/" + spec.Path(), fmt::format("A step from the matter page: {}", spec.step),
                         Permission::kWriteCases, true, PostStep(services, spec)));
  }
  router.Add(PageRoute("POST", "/matters/{id}/notes", "A journal note from the matter page", Permission::kWriteCases,
                       true, PostNote(services)));
  router.Add(PageRoute("POST", "/matters/{id}/assignment", "Give the matter to a case worker (team leads)",
                       Permission::kLeadCases, true, PostAssignment(services)));
}

}  // namespace nysol::web::pages
