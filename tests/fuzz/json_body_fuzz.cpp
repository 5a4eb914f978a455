// libFuzzer target for ParseJsonBody (every request body). Besides crashes (and stack exhaustion on deep
// nesting) it checks the contract: a refusal is kMalformedJson with a message; an accepted body nests at most
// kMaxJsonDepth levels, and its serialisation parses back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "web/json_body.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

int Depth(const nlohmann::json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const auto& child : value) deepest = std::max(deepest, Depth(child));
  return deepest + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = nysol::web::ParseJsonBody(body);
  if (!parsed.ok()) {
    Check(parsed.status().code() == nysol::ErrorCode::kMalformedJson);
    Check(!parsed.status().message().empty());
    return 0;
  }
  Check(Depth(*parsed) <= nysol::web::kMaxJsonDepth);
  auto again = nysol::web::ParseJsonBody(parsed->dump());
  Check(again.ok());
  // NaN cannot occur (JSON has none), so equality is exact.
  Check(*again == *parsed);
  return 0;
}
