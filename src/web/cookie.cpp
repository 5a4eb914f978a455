#include "web/cookie.h"

#include <fmt/format.h>

namespace nysol::web {
namespace {

bool IsTokenChar(unsigned char c) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         kSymbols.find(static_cast<char>(c)) != std::string_view::npos;
}

// RFC 6265 4.1.1 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
bool IsCookieOctet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) ||
         (c >= 0x5D && c <= 0x7E);
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::string Attributes(std::chrono::seconds max_age, const CookieOptions& options) {
  // Path=/ and no Domain: the cookie goes to this host only, to every path of it.
  return fmt::format("; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", max_age.count(),
                     options.secure ? "; Secure" : "");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseCookieHeader(std::string_view header, std::string_view only) {
  std::vector<std::pair<std::string, std::string>> cookies;
  while (!header.empty() && cookies.size() < kMaxCookies) {
    size_t end = header.find(';');
    std::string_view pair = Trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);

    size_t equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    std::string_view name = Trim(pair.substr(0, equals));
    std::string_view value = Trim(pair.substr(equals + 1));
    if (name.empty()) continue;
    bool name_ok = true;
    for (unsigned char c : name) name_ok = name_ok && IsTokenChar(c);
    if (!name_ok || (!only.empty() && name != only)) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    bool value_ok = true;
    for (unsigned char c : value) value_ok = value_ok && IsCookieOctet(c);
    if (!value_ok) continue;
    cookies.emplace_back(std::string(name), std::string(value));
  }
  return cookies;
}

std::vector<std::string> RequestCookies(const HttpRequest& request, std::string_view name) {
  std::vector<std::string> values;
  // Only `name` counts towards the cap: other cookies planted first cannot push a second session cookie out.
  for (auto& [cookie_name, value] : ParseCookieHeader(request.Header("cookie"), name)) {
    if (cookie_name == name) values.push_back(std::move(value));
  }
  return values;
}

std::string SessionCookie(std::string_view token, std::chrono::seconds max_age,
                          const CookieOptions& options) {
  return fmt::format("{}={}{}", kSessionCookieName, token, Attributes(max_age, options));
}

std::string ClearedSessionCookie(const CookieOptions& options) {
  return fmt::format("{}={}", kSessionCookieName, Attributes(std::chrono::seconds{0}, options));
}

std::string LoginFormCookie(std::string_view token, std::chrono::seconds max_age, const CookieOptions& options) {
  return fmt::format("{}={}{}", kLoginCookieName, token, Attributes(max_age, options));
}

std::string ClearedLoginFormCookie(const CookieOptions& options) {
  return fmt::format("{}={}", kLoginCookieName, Attributes(std::chrono::seconds{0}, options));
}

}  // namespace nysol::web
