#include "web/router.h"

#include <stdexcept>

namespace nysol::web {
namespace {

// "/api/v1/matters/7" → {"api", "v1", "matters", "7"}; "/" → {""}.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool Matches(const std::vector<std::string>& want, const std::vector<std::string_view>& have) {
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (IsParameter(want[i]) ? have[i].empty() : want[i] != have[i]) return false;
  }
  return true;
}

}  // namespace

void Router::Add(Route route) {
  for (const auto& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw std::logic_error("route registered twice: " + route.method + " " + route.pattern);
    }
  }
  std::vector<std::string> segments;
  for (std::string_view segment : Split(route.pattern)) segments.emplace_back(segment);
  segments_.push_back(std::move(segments));
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  // The path split once, each pattern when it was added: not both for every route on every request.
  Match match;
  const std::vector<std::string_view> have = Split(path);
  for (size_t r = 0; r < routes_.size(); ++r) {
    const std::vector<std::string>& want = segments_[r];
    if (!Matches(want, have)) continue;
    const Route& route = routes_[r];
    match.allowed.push_back(route.method);
    if (route.method == "GET") match.allowed.push_back("HEAD");
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      match.route = &route;
      for (size_t i = 0; i < want.size(); ++i) {
        if (IsParameter(want[i])) match.params[want[i].substr(1, want[i].size() - 2)] = have[i];
      }
      return match;
    }
  }
  return match;
}

}  // namespace nysol::web
