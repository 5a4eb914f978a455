#include "core/committee_commands.h"

#include <fmt/format.h>

#include "core/input.h"

namespace nysol {

using nlohmann::json;

namespace {
constexpr size_t kMaxConditions = 4000;
constexpr int64_t kMaxAge = 120;
}  // namespace

Result<Events> RecordCommitteeDecision(const Catalog& catalog, const json& input, CommandContext& ctx) {
  Input in(input);
  NYSOL_RETURN_IF_ERROR(in.Expect({"item_code", "decided_on", "minutes_paragraph", "dnr", "valid_from", "valid_to",
                                   "target_group", "age_min", "age_max", "max_sessions", "conditions",
                                   "identity_exempt", "identity_exempt_reasons", "ends"}));
  NYSOL_ASSIGN_OR_RETURN(auto item_code, in.String("item_code", 80));
  NYSOL_ASSIGN_OR_RETURN(Date decided_on, in.DateField("decided_on"));
  NYSOL_ASSIGN_OR_RETURN(auto minutes_paragraph, in.String("minutes_paragraph", 40));
  NYSOL_ASSIGN_OR_RETURN(auto dnr, in.String("dnr", 60));
  NYSOL_ASSIGN_OR_RETURN(Date valid_from, in.DateField("valid_from"));
  NYSOL_ASSIGN_OR_RETURN(auto valid_to, in.OptionalDate("valid_to"));
  NYSOL_ASSIGN_OR_RETURN(auto target_group, in.OptionalString("target_group", 400));
  NYSOL_ASSIGN_OR_RETURN(auto age_min, in.OptionalInt("age_min", 0, kMaxAge));
  NYSOL_ASSIGN_OR_RETURN(auto age_max, in.OptionalInt("age_max", 0, kMaxAge));
  NYSOL_ASSIGN_OR_RETURN(auto max_sessions, in.OptionalInt("max_sessions", 1, 1000));
  NYSOL_ASSIGN_OR_RETURN(auto conditions, in.OptionalString("conditions", kMaxConditions));
  bool identity_exempt = false;
  if (input.is_object() && input.contains("identity_exempt")) {
    NYSOL_ASSIGN_OR_RETURN(identity_exempt, in.Bool("identity_exempt"));
  }
  NYSOL_ASSIGN_OR_RETURN(auto exempt_reasons, in.OptionalString("identity_exempt_reasons", kMaxConditions));
  NYSOL_ASSIGN_OR_RETURN(auto ends, in.OptionalInt("ends", 1, INT64_MAX));

  if (decided_on > ctx.now.date) {
    return Error(ErrorCode::kInvalidDate, fmt::format("field 'decided_on': {} is in the future", FormatDate(decided_on)));
  }
  if (valid_from < decided_on) {
    return Error(ErrorCode::kInvalidDate, "field 'valid_from': a decision cannot apply before it was made");
  }
  if (valid_to && *valid_to < valid_from) {
    return Error(ErrorCode::kInvalidDate, "field 'valid_to' is before 'valid_from'");
  }
  if (age_min && age_max && *age_min > *age_max) {
    return Error(ErrorCode::kInvalidInput, "field 'age_min' is above 'age_max'");
  }
  const CatalogItem* item = catalog.Find(item_code, valid_from);
  if (!item) {
    return Error(ErrorCode::kUnknownCode,
                 fmt::format("field 'item_code': the catalog {} has no item '{}' on {}", catalog.version(), item_code,
                             FormatDate(valid_from)));
  }
  if (item->assessment_required) {
    // 11 kap. 5 § p. 1–7 SoL: never without an individual needs assessment.
    auto kind = ctx.rulebook.Lookup("assessment_required", *item->assessment_required, valid_from);
    return Error(ErrorCode::kIllegalTransition,
                 fmt::format("'{}' is {}, which always needs an individual needs assessment ({}); it cannot be "
                             "offered without one",
                             item_code, kind.ok() ? kind->name_sv : *item->assessment_required,
                             kind.ok() ? kind->law_ref : "11 kap. 5 § SoL"));
  }
  // 14 kap. 5 § SoL: identity may be left undocumented only by a decision stating special reasons.
  if (identity_exempt && !exempt_reasons) {
    return Error(ErrorCode::kInvalidInput,
                 "field 'identity_exempt_reasons': leaving identity undocumented needs stated special reasons (14 kap. 5 § SoL)");
  }
  if (!identity_exempt && exempt_reasons) {
    return Error(ErrorCode::kInvalidInput, "field 'identity_exempt_reasons' is given but 'identity_exempt' is not true");
  }
  if (ends) {
    auto earlier = ctx.view.FindCommitteeDecision(*ends);
    if (!earlier) return Error(ErrorCode::kNotFound, fmt::format("field 'ends': there is no decision {}", *ends));
    if (earlier->item_code != item_code) {
      return Error(ErrorCode::kInvalidInput,
                   fmt::format("field 'ends': decision {} is about '{}', not '{}'", *ends, earlier->item_code,
                               item_code));
    }
    if (earlier->ended_from) {
      return Error(ErrorCode::kConflict, fmt::format("decision {} is already ended", *ends));
    }
    if (valid_from <= earlier->valid_from) {
      return Error(ErrorCode::kInvalidDate,
                   fmt::format("field 'valid_from': decision {} applies from {}; a decision ending it must start later",
                               *ends, FormatDate(earlier->valid_from)));
    }
  }
  auto opt = [](const auto& value) { return value ? json(*value) : json(); };
  return Events{MakeEvent(ctx, "committee_decision_recorded", FormatDate(decided_on), std::nullopt, std::nullopt,
                          {{"decision_id", ctx.view.NextId("committee_decisions")},
                           {"item_code", item_code},
                           {"item_name_sv", item->name_sv},
                           {"catalog_version", catalog.version()},
                           {"decided_on", FormatDate(decided_on)},
                           {"minutes_paragraph", minutes_paragraph},
                           {"dnr", dnr},
                           {"valid_from", FormatDate(valid_from)},
                           {"valid_to", valid_to ? json(FormatDate(*valid_to)) : json()},
                           {"target_group", opt(target_group)},
                           {"age_min", opt(age_min)},
                           {"age_max", opt(age_max)},
                           {"max_sessions", opt(max_sessions)},
                           {"conditions", opt(conditions)},
                           {"identity_exempt", identity_exempt},
                           {"identity_exempt_reasons", opt(exempt_reasons)},
                           {"ends", opt(ends)}})};
}

}  // namespace nysol
