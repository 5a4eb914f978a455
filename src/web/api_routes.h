// The JSON API under /api/v1: registers every route on the router.
#pragma once

#include "web/pipeline.h"
#include "web/router.h"

namespace nysol::web {

void RegisterApiRoutes(Router& router, const AppServices& services);

// The OpenAPI document served at /api/v1/openapi.json (src/web/openapi.json, embedded at build time).
std::string_view OpenApiDocument();

}  // namespace nysol::web
