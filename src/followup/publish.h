// What a report must go through before it leaves the system: small-cell suppression of every table
// (docs/SUPPRESSION.md). The costs table withholds exactly what the volumes table withholds, since a cost is
// a volume times the catalog's unit cost and would give the volume away.
#pragma once

#include "followup/report.h"

namespace nysol::followup {

// Suppresses every table of `report` below `threshold` (0: nothing is withheld; for internal use only).
void SuppressReport(Report& report, int threshold);

}  // namespace nysol::followup
