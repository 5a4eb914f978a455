// Plain HTTP request and response values. Only http_server.cpp knows about Boost.Beast; everything else in
// web/ (router, pipeline, handlers) works on these.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nysol::web {

struct HttpRequest {
  std::string method;  // "GET", "POST", …
  std::string target;  // raw request target: "/api/v1/matters/7?x=1"
  std::string path;    // percent-decoded path without the query: "/api/v1/matters/7"
  std::multimap<std::string, std::string> query;    // percent-decoded query parameters
  std::map<std::string, std::string> headers;       // names lower-cased
  std::string body;
  std::string remote_address;  // "127.0.0.1"

  // The header's value, or "" when absent. `name` must be lower-case.
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Set-Cookie
  // Personal data must never stay in a browser's or proxy's cache; only the static files may be cached.
  std::string cache_control = "no-store";
};

}  // namespace nysol::web
