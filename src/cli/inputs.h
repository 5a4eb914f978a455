// What several subcommands load the same way: the rulebook and the intervention catalog, from the file an
// option names or, when the option is left empty, from the default (the source tree, or $NYSOL_RULEBOOK /
// $NYSOL_CATALOG).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "core/catalog.h"
#include "core/rulebook.h"
#include "core/status.h"
#include "followup/snapshot.h"
#include "store/db.h"

namespace nysol::cli {

// A `--db` that must name an existing database: a SQLite file that exists, or a PostgreSQL address (whose
// server answers for itself when connected to).
inline CLI::Validator ExistingDatabase() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (store::IsPostgresAddress(value) || std::filesystem::is_regular_file(value)) return {};
        return "File does not exist: " + value;
      },
      "DATABASE");
}

inline Result<Rulebook> LoadRulebook(const std::string& path) {
  return Rulebook::Load(path.empty() ? Rulebook::DefaultPath() : path);
}

inline Result<Catalog> LoadCatalog(const std::string& path, const Rulebook& rulebook) {
  return Catalog::Load(path.empty() ? Catalog::DefaultPath() : path, rulebook);
}

// What the commands that count from the journal (`kpi`, `simulate calibrate`) start from: the rules, the
// catalog, the database and its follow-up snapshot, read in. `db` must name an existing file.
struct JournalInputs {
  Rulebook rulebook;
  Catalog catalog;
  std::unique_ptr<store::Db> db;
  followup::Snapshot snapshot;
};
Result<JournalInputs> LoadJournalInputs(const std::string& db, const std::string& rulebook,
                                        const std::string& catalog);

}  // namespace nysol::cli
