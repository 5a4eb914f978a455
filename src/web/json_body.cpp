#include "web/json_body.h"

#include <fmt/format.h>

namespace nysol::web {

Result<nlohmann::json> ParseJsonBody(std::string_view body) {
  if (body.empty()) return Error(ErrorCode::kMalformedJson, "the request body is empty; a JSON object is expected");
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) {
        return Error(ErrorCode::kMalformedJson, fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Error(ErrorCode::kMalformedJson, "the request body is not valid JSON");
  return parsed;
}

}  // namespace nysol::web
