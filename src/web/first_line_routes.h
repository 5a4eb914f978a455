// First-line participation (11 kap. 5 § SoL):
//   POST /api/v1/first-line/participations               register one (first-line staff)
//   GET  /api/v1/first-line/participations?date=...      the unit's registrations of a day
//   POST /api/v1/first-line/participations/{id}/application   the person wants an assessment: an application
#pragma once

#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web {

void RegisterFirstLineRoutes(Router& router, const AppServices& services);

}  // namespace nysol::web
