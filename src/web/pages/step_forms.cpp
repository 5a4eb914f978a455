#include "web/pages/step_forms.h"

#include <fmt/format.h>

#include <charconv>

#include "web/pages/case_view.h"
#include "web/pages/swedish.h"

namespace nysol::web::pages {

using nlohmann::json;

const std::vector<StepSpec>& StepSpecs() {
  using T = FieldType;
  static const std::vector<StepSpec> specs = {
      {"protection-assessment", "20 kap. 1 § SoL", RecordProtectionAssessment,
       {{"assessed_at", "Bedömningen gjordes", T::kDateTime},
        {"immediate_need", "Finns ett omedelbart skyddsbehov?", T::kYesNo},
        {"reasons", "Skäl", T::kTextArea}}},
      {"preliminary-assessment", "20 kap. 2 § SoL", DecidePreliminaryAssessment,
       {{"decision", "Beslut", T::kChoice, true,
         "open_investigation=Inled utredning|no_investigation=Inled inte utredning"},
        {"decided_on", "Beslutsdatum", T::kDate},
        {"reasons", "Skäl", T::kTextArea},
        {"decided_by", "Beslutsfattare", T::kText, true, "", "", true}}},
      {"preliminary-assessment/extension", "20 kap. 2 § SoL", ExtendPreliminaryAssessment,
       {{"new_due", "Ny sista dag", T::kDate},
        {"exceptional_reasons", "Synnerliga skäl", T::kTextArea, true, "",
         "Förlängning kräver synnerliga skäl."},
        {"decided_on", "Beslutsdatum", T::kDate}}},
      {"investigation", "11 kap. 1 § SoL", StartInvestigation, {{"started_on", "Utredningen inleds", T::kDate}}},
      {"investigation/notification", "20 kap. 4 § SoL", NotifyInvestigation,
       {{"notified_on", "Underrättade den", T::kDate},
        {"notified", "Vilka har underrättats", T::kText},
        {"reasons_not_notified", "Skäl om någon inte underrättats", T::kTextArea, false}}},
      {"investigation/extension", "20 kap. 3 § SoL", ExtendInvestigation,
       {{"new_due", "Ny sista dag", T::kDate},
        {"special_reasons", "Särskilda skäl", T::kTextArea, true, "", "Förlängning kräver särskilda skäl."},
        {"decided_on", "Beslutsdatum", T::kDate},
        {"decided_by", "Beslutsfattare", T::kText, true, "", "", true}}},
      {"investigation/completion", "20 kap. 3 § SoL", CompleteInvestigation,
       {{"completed_on", "Utredningen avslutades", T::kDate},
        {"conclusion", "Sammanfattande bedömning", T::kTextArea}}},
      {"decisions", "35 kap. 1 § SoL", RecordDecision,
       {{"outcome", "Utfall", T::kCode, true, "decision_outcome"},
        {"intervention", "Insats", T::kCode, true, "intervention"},
        {"legal_basis", "Lagrum", T::kCode, true, "legal_basis"},
        {"decided_on", "Beslutsdatum", T::kDate},
        {"decided_by", "Beslutsfattare", T::kText, true, "", "", true},
        {"reasons", "Motivering", T::kTextArea},
        {"served_on", "Den enskilde fick del av beslutet", T::kDate, false, "",
         "Lämna tomt om beslutet inte är delgivet ännu; överklagandetiden räknas från den dagen."}}},
      {"interventions", "11 kap. 1 § SoL", StartIntervention,
       {{"decision_id", "Beslut", T::kDecision}, {"started_on", "Insatsen påbörjades", T::kDate}}},
      {"closure", "14 kap. SoL", CloseMatter,
       {{"closed_on", "Avslutas den", T::kDate}, {"reason", "Skäl", T::kTextArea}}},
      // On one decision or intervention, shown beside it rather than among the next steps.
      {"decisions/service", "44 § förvaltningslagen", RecordDecisionServed,
       {{"served_on", "Den enskilde fick del av beslutet", T::kDate}}, "decision_id"},
      {"interventions/end", "11 kap. 1 § SoL", EndIntervention,
       {{"ended_on", "Insatsen avslutades", T::kDate}, {"reason", "Skäl", T::kTextArea}}, "intervention_id"},
  };
  return specs;
}

std::string StepSpec::Path(std::optional<int64_t> id) const {
  if (id_param.empty()) return step;
  size_t slash = step.find('/');
  std::string which = id ? std::to_string(*id) : "{" + id_param + "}";
  return fmt::format("{}/{}/{}", step.substr(0, slash), which, step.substr(slash + 1));
}

const StepSpec* FindStep(std::string_view step) {
  for (const auto& spec : StepSpecs()) {
    if (spec.step == step) return &spec;
  }
  return nullptr;
}

std::string DraftKey(int64_t matter_id, std::string_view step, std::string_view field) {
  return fmt::format("matter/{}/{}/{}", matter_id, step, field);
}

namespace {

std::string Slug(std::string_view text) {
  std::string slug(text);
  for (char& c : slug) {
    if (c == '/' || c == '_') c = '-';
  }
  return slug;
}

json Choices(const FieldSpec& field, const MatterState& matter, const AppServices& services) {
  json choices = json::array();
  if (field.type == FieldType::kCode) {
    for (const auto& code : services.rulebook.Codes(field.source, Today(services))) {
      choices.push_back({{"value", code.code},
                         {"label", code.law_ref.empty() ? code.name_sv
                                                        : fmt::format("{} ({})", code.name_sv, code.law_ref)}});
    }
  } else if (field.type == FieldType::kChoice) {
    std::string_view rest = field.source;
    while (!rest.empty()) {
      std::string_view item = rest.substr(0, rest.find('|'));
      rest.remove_prefix(std::min(rest.size(), item.size() + 1));
      auto eq = item.find('=');
      choices.push_back({{"value", item.substr(0, eq)}, {"label", item.substr(eq + 1)}});
    }
  } else if (field.type == FieldType::kYesNo) {
    choices = json::array({{{"value", "true"}, {"label", "Ja"}}, {{"value", "false"}, {"label", "Nej"}}});
  } else if (field.type == FieldType::kDecision) {
    for (const auto& d : matter.decisions) {
      if (d.outcome == "refused") continue;
      choices.push_back({{"value", std::to_string(d.id)},
                         {"label", fmt::format("Beslut {} den {}: {}", d.id, FormatDate(d.decided_on),
                                               CodeNameSv(services, "intervention", d.intervention))}});
    }
  }
  return choices;
}

}  // namespace

json StepFormView(const StepSpec& spec, const MatterState& matter, const AppServices& services,
                  const access::Principal& viewer, const FormFields* posted,
                  const std::map<std::string, std::string>& drafts) {
  auto now = ToStockholm(services.clock.Now());
  json fields = json::array();
  for (const auto& field : spec.fields) {
    std::string id = fmt::format("{}-{}", Slug(spec.step), Slug(field.name));
    std::string value;
    if (posted) {
      auto it = posted->find(field.name);
      if (it != posted->end()) value = it->second;
    } else if (auto draft = drafts.find(field.name); draft != drafts.end()) {
      value = draft->second;
    } else if (field.type == FieldType::kDate && field.required && field.name.ends_with("_on")) {
      value = FormatDate(now.date);
    } else if (field.type == FieldType::kDateTime) {
      value = FormatLocalDateTime(now).substr(0, 16);
    } else if (field.user_name_default) {
      value = viewer.display_name;
    }
    json choices = Choices(field, matter, services);
    for (auto& choice : choices) choice["selected"] = choice["value"] == value;
    bool select = !choices.empty() || field.type == FieldType::kDecision;
    json view = {{"id", id},
                 {"name", field.name},
                 {"label", field.label},
                 {"required", field.required},
                 {"hint", field.hint.empty() ? json() : json(field.hint)},
                 {"value", value},
                 {"textarea", field.type == FieldType::kTextArea},
                 {"select", select},
                 {"choices", choices},
                 {"input", nullptr},
                 {"draft_key", field.type == FieldType::kTextArea
                                   ? json(DraftKey(matter.id, spec.step, field.name)) : json()}};
    if (!select && field.type != FieldType::kTextArea) {
      view["input"] = field.type == FieldType::kDate       ? "date"
                      : field.type == FieldType::kDateTime ? "datetime-local"
                                                           : "text";
    }
    fields.push_back(view);
  }
  return {{"step", spec.step},
          {"slug", Slug(spec.step)},
          {"title", StepSv(spec.step)},
          {"law_ref", spec.law_ref},
          {"matter_id", matter.id},
          {"fields", fields}};
}

Result<json> StepInput(const StepSpec& spec, const FormFields& form) {
  json body = json::object();
  for (const auto& field : spec.fields) {
    auto it = form.find(field.name);
    std::string value = it == form.end() ? std::string() : it->second;
    // Browsers send line breaks as CR LF; the record keeps LF.
    std::erase(value, '\r');
    bool blank = value.find_first_not_of(" \t\n") == std::string::npos;
    if (blank) {
      if (field.required) {
        return Error(ErrorCode::kInvalidInput, fmt::format("Fyll i ”{}”.", field.label));
      }
      continue;
    }
    switch (field.type) {
      case FieldType::kYesNo:
        if (value != "true" && value != "false") {
          return Error(ErrorCode::kInvalidInput, fmt::format("Välj ja eller nej i ”{}”.", field.label));
        }
        body[field.name] = value == "true";
        break;
      case FieldType::kDecision: {
        int64_t id = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
        if (ec != std::errc() || end != value.data() + value.size() || id <= 0) {
          return Error(ErrorCode::kInvalidInput, fmt::format("Välj ett beslut i ”{}”.", field.label));
        }
        body[field.name] = id;
        break;
      }
      default:
        body[field.name] = value;
    }
  }
  return body;
}

}  // namespace nysol::web::pages
