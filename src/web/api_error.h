// The one place where an ErrorCode becomes an HTTP status, and the JSON error body every route answers with:
// {"error": {"code": "<stable code>", "message": "<English sentence>"}}.
#pragma once

#include "core/status.h"
#include "web/http_message.h"

namespace nysol::web {

int HttpStatusFor(ErrorCode code);
HttpResponse ErrorResponse(const Status& status);

}  // namespace nysol::web
