// The municipality's own retention settings: whether it is one of the research municipalities of 16 kap. 4 §
// SoL, and which birth days make up the research sample of persons otherwise. Read from a small JSON file
// (config/retention.json by default; format in docs/RETENTION.md), validated in full, unknown keys rejected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace nysol::retention {

struct Settings {
  // 16 kap. 4 § första meningen SoL: in a research municipality every record is kept. Default: not one.
  bool research_municipality = false;
  // 16 kap. 4 § andra meningen SoL: elsewhere a representative sample of persons is kept. The law names no
  // days; 5, 15 and 25 are the days of socialtjänstförordningen (2001:937) 7 kap. 2 §. Ascending, 1–31.
  std::vector<int> research_sample_birth_days = {5, 15, 25};

  // "5,15,25": how the days are recorded with each removal run.
  std::string SampleDaysText() const;
};

// Parses the JSON text of a settings file. kMalformedJson when it is not JSON, kInvalidInput naming the field
// when a value is wrong or a key unknown. Missing keys keep their defaults.
Result<Settings> ParseSettings(std::string_view json_text);
// Reads and parses `path`. kNotFound when the file cannot be read (never silently the defaults: a research
// municipality whose file went missing must not lose its records).
Result<Settings> LoadSettings(const std::string& path);
// $NYSOL_RETENTION_CONFIG when set, otherwise config/retention.json in the source tree.
std::string DefaultSettingsPath();

}  // namespace nysol::retention
