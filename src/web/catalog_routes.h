// The intervention catalog and the committee's decisions on it (11 kap. 5 § SoL):
//   GET  /api/v1/catalog?date=YYYY-MM-DD&mode=first-line|all   the items, each with its mode and decision
//   GET  /api/v1/committee-decisions[?date=YYYY-MM-DD]          the decisions (history, or those applying)
//   POST /api/v1/committee-decisions                            record one (the committee)
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "core/catalog.h"
#include "store/case_store.h"
#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web {

void RegisterCatalogRoutes(Router& router, const AppServices& services);

// A decision as the API shows it.
nlohmann::json CommitteeDecisionJson(const store::CommitteeDecisionRow& d);
// The catalog on `on`, each item with `mode`: "first_line" (a committee decision applies; `decision` is it),
// "assessment_required" (11 kap. 5 § p. 1–7: never without an individual assessment) or "individual"
// (offered after an individual needs assessment only). `applying`: the decisions that apply on `on`.
nlohmann::json CatalogEntries(const Catalog& catalog, const std::vector<store::CommitteeDecisionRow>& applying,
                              Date on, bool first_line_only);

}  // namespace nysol::web
