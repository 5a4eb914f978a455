#include "core/catalog.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/input.h"

namespace nysol {
namespace {

using nlohmann::json;

const std::set<std::string, std::less<>> kKnowledgeBases = {"evidence_based", "proven_experience", "local_untested"};
const std::set<std::string, std::less<>> kDeliveryModes = {"on_site", "digital", "phone", "home_visit"};
const std::set<std::string, std::less<>> kProviderKinds = {"own", "contracted"};
const std::set<std::string, std::less<>> kItemKeys = {
    "code",           "ksi_code",          "name_sv",
    "description_sv", "target_group_sv",   "responsible_unit",
    "provider",       "delivery_modes",    "joint_with_other_municipalities",
    "unit_cost_sek",  "cost_unit_sv",      "knowledge_basis",
    "method",         "assessment_required", "contact",
    "valid_from",     "valid_to"};

Status Bad(size_t index, const json& entry, std::string_view what) {
  std::string code = entry.is_object() && entry.contains("code") && entry["code"].is_string()
                         ? entry["code"].get<std::string>()
                         : fmt::format("#{}", index);
  return Error(ErrorCode::kInvalidInput, fmt::format("catalog item {}: {}", code, what));
}

Result<std::string> Text(const json& entry, const char* key, size_t index) {
  auto it = entry.find(key);
  if (it == entry.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Bad(index, entry, fmt::format("'{}' must be a non-empty string", key));
  }
  return it->get<std::string>();
}

Result<CatalogItem> ParseItem(const json& entry, size_t index, const Rulebook& rulebook) {
  if (!entry.is_object()) return Bad(index, entry, "must be an object");
  for (const auto& [key, value] : entry.items()) {
    if (!kItemKeys.count(key)) return Bad(index, entry, fmt::format("unknown field '{}'", key));
  }
  CatalogItem item;
  NYSOL_ASSIGN_OR_RETURN(item.code, Text(entry, "code", index));
  NYSOL_ASSIGN_OR_RETURN(item.name_sv, Text(entry, "name_sv", index));
  NYSOL_ASSIGN_OR_RETURN(item.responsible_unit, Text(entry, "responsible_unit", index));
  NYSOL_ASSIGN_OR_RETURN(item.knowledge_basis, Text(entry, "knowledge_basis", index));
  if (!kKnowledgeBases.count(item.knowledge_basis)) {
    return Bad(index, entry, "'knowledge_basis' must be evidence_based, proven_experience or local_untested");
  }
  NYSOL_ASSIGN_OR_RETURN(auto from, Text(entry, "valid_from", index));
  auto valid_from = ParseDate(from);
  if (!valid_from.ok()) return Bad(index, entry, "'valid_from' must be a date YYYY-MM-DD");
  item.valid_from = *valid_from;
  if (entry.contains("valid_to") && !entry["valid_to"].is_null()) {
    auto to = entry["valid_to"].is_string() ? ParseDate(entry["valid_to"].get<std::string>())
                                            : Result<Date>(Error(ErrorCode::kInvalidDate, "not a string"));
    if (!to.ok() || *to <= item.valid_from) return Bad(index, entry, "'valid_to' must be a date after 'valid_from'");
    item.valid_to = *to;
  }
  const json& provider = entry.value("provider", json());
  if (!provider.is_object() || !provider.contains("kind") || !provider["kind"].is_string() ||
      !kProviderKinds.count(provider["kind"].get<std::string>())) {
    return Bad(index, entry, "'provider' must have 'kind' own or contracted");
  }
  const json& modes = entry.value("delivery_modes", json());
  if (!modes.is_array() || modes.empty()) return Bad(index, entry, "'delivery_modes' must be a non-empty list");
  for (const auto& mode : modes) {
    if (!mode.is_string() || !kDeliveryModes.count(mode.get<std::string>())) {
      return Bad(index, entry, "'delivery_modes' may hold on_site, digital, phone and home_visit");
    }
  }
  if (!entry.value("unit_cost_sek", json()).is_number_integer() || entry["unit_cost_sek"].get<int64_t>() < 0) {
    return Bad(index, entry, "'unit_cost_sek' must be a whole number of kronor, 0 or more");
  }
  if (auto required = entry.find("assessment_required"); required != entry.end() && !required->is_null()) {
    if (!required->is_string()) return Bad(index, entry, "'assessment_required' must be a code or null");
    // 11 kap. 5 § p. 1–7 SoL: the kinds that always need an individual needs assessment.
    auto code = rulebook.Lookup("assessment_required", required->get<std::string>(), item.valid_from);
    if (!code.ok()) return Bad(index, entry, code.status().message());
    item.assessment_required = required->get<std::string>();
  }
  item.fields = entry;
  return item;
}

}  // namespace

std::string Catalog::DefaultPath() {
  const char* env = std::getenv("NYSOL_CATALOG");
  if (env != nullptr && env[0] != '\0') return env;
  return NYSOL_SOURCE_DIR "/config/catalog.json";
}

Result<Catalog> Catalog::Load(const std::string& path, const Rulebook& rulebook) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::kNotFound, fmt::format("cannot read the catalog {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), rulebook);
}

Result<Catalog> Catalog::Parse(std::string_view json_text, const Rulebook& rulebook) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Error(ErrorCode::kInvalidInput, "the catalog is not a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (key != "version" && key != "municipality" && key != "note" && key != "items") {
      return Error(ErrorCode::kInvalidInput, fmt::format("catalog: unknown field '{}'", key));
    }
  }
  if (!doc.contains("version") || !doc["version"].is_string()) {
    return Error(ErrorCode::kInvalidInput, "catalog: 'version' must be a string");
  }
  if (!doc.contains("items") || !doc["items"].is_array()) {
    return Error(ErrorCode::kInvalidInput, "catalog: 'items' must be a list");
  }
  Catalog catalog;
  catalog.version_ = doc["version"].get<std::string>();
  for (size_t i = 0; i < doc["items"].size(); ++i) {
    NYSOL_ASSIGN_OR_RETURN(auto item, ParseItem(doc["items"][i], i, rulebook));
    for (const auto& other : catalog.items_) {
      // Versions of one item may follow each other, never overlap.
      bool overlap = other.code == item.code && (!other.valid_to || item.valid_from < *other.valid_to) &&
                     (!item.valid_to || other.valid_from < *item.valid_to);
      if (overlap) return Bad(i, doc["items"][i], "overlaps another version of the same code");
    }
    catalog.items_.push_back(std::move(item));
  }
  return catalog;
}

const CatalogItem* Catalog::Find(std::string_view code, Date on) const {
  for (const auto& item : items_) {
    if (item.code == code && item.valid_from <= on && (!item.valid_to || on < *item.valid_to)) return &item;
  }
  return nullptr;
}

}  // namespace nysol
