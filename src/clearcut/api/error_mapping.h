#pragma once

#include "clearcut/api/http/http_response.h"
#include "clearcut/base/error.h"

namespace clearcut::api {

// The one place where error codes become HTTP statuses.
int http_status(base::ErrorCode code);

// {"code": ..., "message": ..., "field": ...} with the status for the error's code. Messages
// of internal errors are replaced: clients never see internals.
http::HttpResponse error_response(const base::Error& error);

}  // namespace clearcut::api
