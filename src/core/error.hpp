#pragma once
// One error type for the whole data path. It carries the HTTP status the client sees and the
// class the router uses to decide between retry, fallback and giving up.

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

namespace switchyard {

enum class ErrorClass {
  kBadRequest,       // client's fault; never retried
  kUnauthorized,     // missing/wrong key (gateway or upstream)
  kForbidden,        // key valid but not allowed
  kNotFound,         // unknown model or route
  kPayloadTooLarge,  // body over the configured limit
  kRateLimited,      // 429 from us or upstream
  kTimeout,          // client or upstream took too long
  kConnectFailed,    // upstream refused, unreachable, DNS or TLS failure
  kBadUpstream,      // upstream answered something that is not HTTP/JSON we understand
  kUpstreamServer,   // upstream 5xx / overloaded
  kContextWindow,    // prompt too long for the model
  kContentPolicy,    // refused by provider safety systems
  kUnavailable,      // gateway is draining or has no deployment to try
  kInternal,         // a bug in the gateway
};

struct Error {
  ErrorClass cls = ErrorClass::kInternal;
  int status = 500;
  std::string message;
  std::string param;  // the offending field, where there is one
  std::string code;   // machine-readable code, e.g. "model_not_found"
  int retryAfterSeconds = 0;

  static Error make(ErrorClass cls, std::string message, std::string param = {},
                    std::string code = {});

  // OpenAI's error type string for this class ("invalid_request_error", ...).
  std::string_view openAiType() const;
  // {"error":{"message":..,"type":..,"param":..,"code":..}}
  std::string toOpenAiJson() const;
  // {"type":"error","error":{"type":..,"message":..}}
  std::string toAnthropicJson() const;
  // Retrying on another deployment may help.
  bool retryable() const;
};

// The status OpenAI uses for each class.
int defaultStatus(ErrorClass cls);
std::string_view errorClassName(ErrorClass cls);

template <class T>
using Result = boost::system::result<T, Error>;

// Lets Result<T>::value() throw when misused outside the data path (tests, CLI).
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace switchyard
