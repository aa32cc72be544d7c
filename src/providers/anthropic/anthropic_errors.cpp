#include "providers/anthropic/anthropic_errors.hpp"

#include <array>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "providers/common/errors.hpp"

namespace switchyard::anthropic {

namespace json = boost::json;

namespace {

struct TypeRow {
  std::string_view type;
  ErrorClass cls;
  int status;  // what the client sees
};

// Anthropic's error types (https://docs.anthropic.com/en/api/errors). 5xx become 502 as for
// every upstream, except "overloaded", which clients know to retry later (503).
constexpr std::array<TypeRow, 9> kTypes = {{
    {"invalid_request_error", ErrorClass::kBadRequest, 400},
    {"authentication_error", ErrorClass::kUnauthorized, 401},
    {"permission_error", ErrorClass::kForbidden, 403},
    {"not_found_error", ErrorClass::kNotFound, 404},
    {"request_too_large", ErrorClass::kPayloadTooLarge, 413},
    {"rate_limit_error", ErrorClass::kRateLimited, 429},
    {"api_error", ErrorClass::kUpstreamServer, 502},
    {"timeout_error", ErrorClass::kTimeout, 504},
    {"overloaded_error", ErrorClass::kUpstreamServer, 503},
}};

const TypeRow* findType(std::string_view type) {
  for (const auto& row : kTypes) {
    if (row.type == type) return &row;
  }
  return nullptr;
}

// Refines the class from the message where the type is too coarse.
void refine(Error& e) {
  if (e.cls != ErrorClass::kBadRequest) return;
  if (contains(e.message, "prompt is too long") || contains(e.message, "context window") ||
      contains(e.message, "exceed context limit")) {
    e.cls = ErrorClass::kContextWindow;
    e.code = "context_length_exceeded";
  } else if (contains(e.message, "content filtering policy")) {
    e.cls = ErrorClass::kContentPolicy;
    e.code = "content_policy_violation";
  }
}

}  // namespace

Error classifyError(int status, std::string_view body, std::string_view retryAfter) {
  std::string type;
  std::string message;
  boost::system::error_code ec;
  const json::value root = json::parse(body, ec);
  const auto* obj = !ec ? root.if_object() : nullptr;
  const auto* err = obj ? obj->if_contains("error") : nullptr;
  if (err && err->is_object()) {
    const auto& e = err->get_object();
    if (const auto* t = e.if_contains("type"); t && t->is_string()) type = t->get_string();
    if (const auto* m = e.if_contains("message"); m && m->is_string()) message = m->get_string();
  }
  if (message.empty()) {
    const std::string_view excerpt = body.substr(0, 200);
    message = excerpt.empty() ? "(empty body)" : std::string(excerpt);
  }

  Error e;
  const TypeRow* row = findType(type);
  if (status == 529) row = findType("overloaded_error");
  if (row) {
    e.cls = row->cls;
    e.status = status >= 400 && status < 500 ? status : row->status;
  } else {
    // An unknown type (or a proxy's HTML page): the status decides.
    e.status = common::gatewayStatus(status);
    e.cls = status == 429                   ? ErrorClass::kRateLimited
            : status == 401                 ? ErrorClass::kUnauthorized
            : status == 403                 ? ErrorClass::kForbidden
            : status == 404                 ? ErrorClass::kNotFound
            : status == 413                 ? ErrorClass::kPayloadTooLarge
            : status >= 400 && status < 500 ? ErrorClass::kBadRequest
            : status >= 500                 ? ErrorClass::kUpstreamServer
                                            : ErrorClass::kBadUpstream;
  }
  e.code = type;
  common::finishUpstreamError(e, status, message, retryAfter);
  refine(e);
  return e;
}

Error streamError(std::string_view type, std::string_view message) {
  Error e;
  const TypeRow* row = findType(type);
  e.cls = row ? row->cls : ErrorClass::kUpstreamServer;
  e.status = row ? row->status : 502;
  e.code = std::string(type);
  e.message = "Upstream stream error: " +
              (message.empty() ? std::string("(no message)") : std::string(message));
  refine(e);
  return e;
}

}  // namespace switchyard::anthropic
