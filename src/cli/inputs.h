// What many subcommands load the same way: the rulebook and the intervention catalog, from the file an option
// names or, when the option is left empty, from the default (the source tree, or $NYSOL_RULEBOOK /
// $NYSOL_CATALOG).
#pragma once

#include <string>

#include "core/catalog.h"
#include "core/rulebook.h"
#include "core/status.h"

namespace nysol::cli {

inline Result<Rulebook> LoadRulebook(const std::string& path) {
  return Rulebook::Load(path.empty() ? Rulebook::DefaultPath() : path);
}

inline Result<Catalog> LoadCatalog(const std::string& path, const Rulebook& rulebook) {
  return Catalog::Load(path.empty() ? Catalog::DefaultPath() : path, rulebook);
}

}  // namespace nysol::cli
