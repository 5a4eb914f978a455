// JSON written straight into a string, for answers that copy stored JSON through instead of parsing it and
// writing it again (a matter's timeline). The output is what nlohmann::json::dump() writes for the same
// value.
#pragma once

#include <string>
#include <string_view>

namespace nysol::web {

// Appends `text` as a JSON string: quoted, with '"', '\\' and control characters escaped as dump() escapes
// them. `text` must be UTF-8, which every stored text is (input is validated as JSON, which is UTF-8).
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace nysol::web
