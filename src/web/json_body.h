// Parses a request body as JSON. Outside input: nesting depth is bounded before parsing so that a hostile
// body cannot exhaust the stack, and any failure is a kMalformedJson Status, never an exception.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace nysol::web {

constexpr int kMaxJsonDepth = 16;

Result<nlohmann::json> ParseJsonBody(std::string_view body);

}  // namespace nysol::web
