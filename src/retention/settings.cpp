#include "retention/settings.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nysol::retention {
namespace {

Status Invalid(std::string_view what) {
  return Error(ErrorCode::kInvalidInput, fmt::format("retention settings: {}", what));
}

}  // namespace

std::string Settings::SampleDaysText() const {
  std::string out;
  for (int day : research_sample_birth_days) out += (out.empty() ? "" : ",") + std::to_string(day);
  return out;
}

Result<Settings> ParseSettings(std::string_view json_text) {
  auto doc = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return Error(ErrorCode::kMalformedJson, "retention settings: the file is not valid JSON");
  if (!doc.is_object()) return Invalid("the file must hold one JSON object");
  Settings settings;
  for (const auto& [key, value] : doc.items()) {
    if (key == "note") {
      if (!value.is_string()) return Invalid("\"note\" must be a string");
    } else if (key == "research_municipality") {
      if (!value.is_boolean()) return Invalid("\"research_municipality\" must be true or false");
      settings.research_municipality = value.get<bool>();
    } else if (key == "research_sample_birth_days") {
      if (!value.is_array()) return Invalid("\"research_sample_birth_days\" must be an array of days 1–31");
      settings.research_sample_birth_days.clear();
      for (const auto& day : value) {
        if (!day.is_number_integer() || day.get<int64_t>() < 1 || day.get<int64_t>() > 31) {
          return Invalid(
              fmt::format("\"research_sample_birth_days\": {} is not a day of the month 1–31", day.dump()));
        }
        settings.research_sample_birth_days.push_back(static_cast<int>(day.get<int64_t>()));
      }
      auto& days = settings.research_sample_birth_days;
      std::sort(days.begin(), days.end());
      if (std::adjacent_find(days.begin(), days.end()) != days.end()) {
        return Invalid("\"research_sample_birth_days\" names a day twice");
      }
    } else {
      // A misspelt "research_municipality" must not silently mean "not a research municipality".
      return Invalid(
          fmt::format("unknown key \"{}\" (known: note, research_municipality, "
                      "research_sample_birth_days)",
                      key));
    }
  }
  // 16 kap. 4 § andra meningen SoL: a municipality outside the research sample must keep a sample of persons.
  if (!settings.research_municipality && settings.research_sample_birth_days.empty()) {
    return Invalid(
        "\"research_sample_birth_days\" must not be empty unless research_municipality is true "
        "(16 kap. 4 § SoL)");
  }
  return settings;
}

Result<Settings> LoadSettings(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("retention settings: cannot read '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  auto settings = ParseSettings(text.str());
  if (!settings.ok()) {
    return Error(settings.status().code(), fmt::format("{} (in {})", settings.status().message(), path));
  }
  return settings;
}

std::string DefaultSettingsPath() {
  const char* env = std::getenv("NYSOL_RETENTION_CONFIG");
  if (env != nullptr && env[0] != '\0') return env;
  return NYSOL_SOURCE_DIR "/config/retention.json";
}

}  // namespace nysol::retention
