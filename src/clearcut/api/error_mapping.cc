#include "clearcut/api/error_mapping.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace clearcut::api {

int http_status(base::ErrorCode code) {
  switch (code) {
    case base::ErrorCode::kInvalidArgument:
      return 400;
    case base::ErrorCode::kUnauthenticated:
      return 401;
    case base::ErrorCode::kPermissionDenied:
      return 403;
    case base::ErrorCode::kNotFound:
      return 404;
    case base::ErrorCode::kAlreadyExists:
    case base::ErrorCode::kFailedPrecondition:
      return 409;
    case base::ErrorCode::kUnsupported:
      return 415;
    case base::ErrorCode::kResourceExhausted:
      return 429;
    case base::ErrorCode::kUnavailable:
      return 503;
    case base::ErrorCode::kDataLoss:
    case base::ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

http::HttpResponse error_response(const base::Error& error) {
  int status = http_status(error.code());
  nlohmann::json body = {{"code", base::error_code_name(error.code())}};
  if (status >= 500) {
    std::fprintf(stderr, "clearcut: %s\n", error.to_string().c_str());
    body["message"] = status == 503 ? "service unavailable, try again" : "internal error";
  } else {
    std::string message = error.message();
    if (error.location().line > 0) {
      message = "line " + std::to_string(error.location().line) + ", column " +
                std::to_string(error.location().column) + ": " + message;
    }
    body["message"] = message;
    if (!error.field().empty()) {
      body["field"] = error.field();
    }
  }
  // Messages may quote what the client sent; never let its bytes turn an answer into a 500.
  return http::HttpResponse::json(
      status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace clearcut::api
