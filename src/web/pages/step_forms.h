// The forms for the chain's steps on the matter page, as data: one entry per step of the API (the same names
// and fields as POST /api/v1/matters/{id}/<step>), with the Swedish labels and what each field is. The page
// renders a form from it, and a posted form becomes the same JSON body the API takes, so a step done in the
// browser runs exactly the command the API runs.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/matter.h"
#include "core/matter_commands.h"
#include "core/status.h"
#include "web/pipeline.h"

namespace nysol::web::pages {

enum class FieldType {
  kText,      // one line
  kTextArea,  // reasons, conclusions: autosaved while written
  kDate,      // YYYY-MM-DD, today by default
  kDateTime,  // YYYY-MM-DDTHH:MM, now by default
  kYesNo,     // true / false, no default: the user must choose
  kCode,      // a rulebook code list (`source`)
  kChoice,    // fixed choices (`source`: "value=Label|value=Label")
  kDecision,  // one of the matter's decisions that can be carried out (not refused)
};

struct FieldSpec {
  FieldSpec(std::string name_, std::string label_, FieldType type_ = FieldType::kText, bool required_ = true,
            std::string source_ = "", std::string hint_ = "", bool user_name_default_ = false)
      : name(std::move(name_)), label(std::move(label_)), type(type_), required(required_),
        source(std::move(source_)), hint(std::move(hint_)), user_name_default(user_name_default_) {}

  std::string name;   // the JSON field
  std::string label;  // Swedish
  FieldType type = FieldType::kText;
  bool required = true;
  std::string source;  // kCode: the code list; kChoice: the choices
  std::string hint;    // shown under the label
  bool user_name_default = false;  // "decided_by": the user's own name unless changed
};

struct StepSpec {
  std::string step;     // "preliminary-assessment", as in the API's path; "decisions/service" for a sub-step
  std::string law_ref;  // shown beside the title
  MatterCommand command;
  std::vector<FieldSpec> fields;
  std::string id_param = {};  // a sub-step acts on one decision or intervention: "decision_id"

  // The path below /matters/{id}/: the step itself, or for a sub-step the collection, the id and the action
  // ("decisions/7/service"); without `id` the router's pattern ("decisions/{decision_id}/service").
  std::string Path(std::optional<int64_t> id = std::nullopt) const;
};

// Every step a matter page offers, in the chain's order.
const std::vector<StepSpec>& StepSpecs();
const StepSpec* FindStep(std::string_view step);

using FormFields = std::multimap<std::string, std::string>;

// The form of `spec` for `matter`, ready for _step_form.mustache. `posted`: the values of a refused post, shown
// again so nothing typed is lost; `drafts`: autosaved text by field name.
nlohmann::json StepFormView(const StepSpec& spec, const MatterState& matter, const AppServices& services,
                            const access::Principal& viewer, const FormFields* posted,
                            const std::map<std::string, std::string>& drafts);

// A posted form as the JSON body of the step: empty optional fields left out, yes/no as booleans, ids as
// numbers. A missing required field is refused here, in Swedish, naming the field by its label.
Result<nlohmann::json> StepInput(const StepSpec& spec, const FormFields& form);

// The autosave key of a text field in a matter's step form: "matter/17/closure/reason".
std::string DraftKey(int64_t matter_id, std::string_view step, std::string_view field);

}  // namespace nysol::web::pages
