// Follow-up over HTTP: `GET /api/v1/kpi?from=&to=[&unit=][&format=json|csv|xlsx]`, every measure for a period
// from the server's snapshot of the journal, with small cells withheld (docs/FOLLOW-UP.md, SUPPRESSION.md).
#pragma once

#include "followup/report.h"
#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web {

// The published (suppressed) report a request asks for: `from` and `to` (YYYY-MM-DD, at most 20 years apart),
// optionally `unit` (a unit's code). kInvalidDate / kInvalidInput / kNotFound (an unknown unit) otherwise.
Result<followup::Report> PublishedReport(const AppServices& services, const HttpRequest& request);

void RegisterFollowUpRoutes(Router& router, const AppServices& services);

}  // namespace nysol::web
