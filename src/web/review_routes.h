// Review of the access log (by person, by user, anomalies) and the extract for the individual
// (registerutdrag). For team leads; every review of a person is itself logged.
#pragma once

#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web {

void RegisterReviewRoutes(Router& router, const AppServices& services);

}  // namespace nysol::web
