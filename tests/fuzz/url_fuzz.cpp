// libFuzzer target for ParseTarget. Build: clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined
//   -Isrc tests/fuzz/url_fuzz.cpp src/web/url.cpp -o url_fuzz
// Besides crashes it checks the contract: success means the target started with '/', and nothing decoded
// holds a NUL byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "web/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);
  std::string path;
  std::multimap<std::string, std::string> query;
  if (!nysol::web::ParseTarget(target, &path, &query)) {
    if (!path.empty() || !query.empty()) std::abort();
    return 0;
  }
  if (target.empty() || target.front() != '/') std::abort();
  if (path.empty() || path.front() != '/' || path.size() > target.size()) std::abort();
  if (path.find('\0') != std::string::npos) std::abort();
  for (const auto& [key, value] : query) {
    if (key.find('\0') != std::string::npos || value.find('\0') != std::string::npos) std::abort();
  }
  return 0;
}
