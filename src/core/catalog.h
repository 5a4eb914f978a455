// The intervention catalog (insatskatalog): the municipality's interventions, one versioned file
// (config/catalog.json) used by decisions, the first line, follow-up and planning. Which items are offered
// without individual needs assessment (11 kap. 5 § SoL) is not in the file: the committee decides that, and its
// decisions are journaled (RecordCommitteeDecision). Items of a kind the law always requires an assessment for
// (11 kap. 5 § p. 1–7, the rulebook's list `assessment_required`) can never be opened for the first line.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/rulebook.h"
#include "core/status.h"

namespace nysol {

struct CatalogItem {
  std::string code;
  std::string name_sv;
  std::string responsible_unit;
  std::string knowledge_basis;  // evidence_based | proven_experience | local_untested
  std::optional<std::string> assessment_required;  // a code of the rulebook list `assessment_required`
  Date valid_from;
  std::optional<Date> valid_to;
  nlohmann::json fields;  // the whole entry as written: description, target group, provider, contact, cost, …
};

class Catalog {
 public:
  // Reads and validates a catalog file against the rulebook. Fails with kInvalidInput naming the entry.
  static Result<Catalog> Load(const std::string& path, const Rulebook& rulebook);
  static Result<Catalog> Parse(std::string_view json_text, const Rulebook& rulebook);
  // config/catalog.json in the source tree, or $NYSOL_CATALOG when set.
  static std::string DefaultPath();

  const std::string& version() const { return version_; }
  const std::vector<CatalogItem>& items() const { return items_; }
  // The item `code` in the catalog on `on`, or nullptr.
  const CatalogItem* Find(std::string_view code, Date on) const;

 private:
  std::string version_;
  std::vector<CatalogItem> items_;
};

}  // namespace nysol
