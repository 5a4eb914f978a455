// libFuzzer target for ParseCookieHeader (the Cookie request header: outside input on every request).
// Besides crashes it checks the contract: at most kMaxCookies pairs, every name a non-empty token and every
// value made of cookie octets only, each pair found in the input, and writing the pairs back as a header
// parses to the same pairs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "web/cookie.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsTokenChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsCookieOctet(unsigned char c) {
  return c > 0x20 && c < 0x7F && c != '"' && c != ',' && c != ';' && c != '\\';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const auto cookies = nysol::web::ParseCookieHeader(header);
  Check(cookies.size() <= nysol::web::kMaxCookies);
  std::string again;
  for (const auto& [name, value] : cookies) {
    Check(!name.empty());
    for (unsigned char c : name) Check(IsTokenChar(c));
    for (unsigned char c : value) Check(IsCookieOctet(c));
    Check(header.find(name) != std::string_view::npos);
    Check(header.find(value) != std::string_view::npos);
    if (!again.empty()) again += "; ";
    again += name + "=" + value;
  }
  Check(nysol::web::ParseCookieHeader(again) == cookies);
  return 0;
}
