// The web interface's templates (templates/*.mustache) and static files (static/*, htmx), embedded in the
// binary at build time.
#pragma once

#include <map>
#include <optional>
#include <string_view>

namespace nysol::web::pages {

// The file called `name` ("matter.mustache", "app.css", "htmx.min.js"), or nullopt.
std::optional<std::string_view> FindAsset(std::string_view name);

}  // namespace nysol::web::pages
