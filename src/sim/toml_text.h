// Reading the simulator's TOML files (model and scenario): one place turns a syntax error into a message that
// names the file, line and column.
#pragma once

#include <fmt/format.h>
#include <toml++/toml.h>

#include <string>

#include "core/status.h"

namespace nysol::sim {

// The TOML `text` parsed, or kInvalidInput "origin:line:column: what is wrong".
inline Result<toml::table> ParseTomlText(const std::string& text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("{}:{}:{}: {}", origin, e.source().begin.line, e.source().begin.column,
                             std::string(e.description())));
  }
}

}  // namespace nysol::sim
