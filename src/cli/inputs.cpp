#include "cli/inputs.h"

namespace nysol::cli {

Result<JournalInputs> LoadJournalInputs(const std::string& db, const std::string& rulebook,
                                        const std::string& catalog) {
  auto rules = LoadRulebook(rulebook);
  if (!rules.ok()) return rules.status();
  auto items = LoadCatalog(catalog, *rules);
  if (!items.ok()) return items.status();
  auto opened = store::OpenDb(db);
  if (!opened.ok()) return opened.status();
  JournalInputs inputs{std::move(*rules), std::move(*items), std::move(*opened), {}};
  if (auto status = inputs.snapshot.CatchUp(*inputs.db); !status.ok()) return status;
  return inputs;
}

}  // namespace nysol::cli
