// Request-target parsing. Deliberately free of Boost so that unit tests and fuzzers build in a second.
#include "web/url.h"

#include <cstddef>
#include <utility>

namespace nysol::web {
namespace {

// Value of one hex digit, or -1.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in` into `out` (replacing its contents). With `plus_is_space`, '+' becomes ' '. Fails on a
// '%' not followed by two hex digits and on a NUL byte, raw or escaped.
bool Decode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) return false;  // fewer than two characters follow
      int high = HexValue(in[i + 1]);
      int low = HexValue(in[i + 2]);
      if (high < 0 || low < 0) return false;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return false;
    out->push_back(c);
  }
  return true;
}

}  // namespace

bool ParseForm(std::string_view rest, std::multimap<std::string, std::string>* fields) {
  std::string key;
  std::string value;
  while (true) {
    std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      if (!Decode(pair.substr(0, eq), /*plus_is_space=*/true, &key)) return false;
      if (!Decode(raw_value, /*plus_is_space=*/true, &value)) return false;
      fields->emplace(key, value);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return true;
}

bool ParseTarget(std::string_view target, std::string* path, std::multimap<std::string, std::string>* query) {
  std::string decoded_path;
  std::multimap<std::string, std::string> params;
  if (path != nullptr) path->clear();
  if (query != nullptr) query->clear();
  if (target.empty() || target.front() != '/') return false;

  std::size_t question = target.find('?');
  if (!Decode(target.substr(0, question), /*plus_is_space=*/false, &decoded_path)) return false;

  if (question != std::string_view::npos && !ParseForm(target.substr(question + 1), &params)) return false;

  if (path != nullptr) *path = std::move(decoded_path);
  if (query != nullptr) *query = std::move(params);
  return true;
}

}  // namespace nysol::web
