#pragma once
// A blocking HTTP/1.1 POST with one deadline for the whole exchange, for the trace exporter's
// own thread (never a worker). http, or https through the given TLS context (certificate and
// host name verified); one connection per call.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/ssl.h>

#include "client/url.hpp"

namespace switchyard {

struct PostResult {
  int status = 0;     // 0: no HTTP answer (connect failure, timeout, garbage)
  std::string error;  // why, when status is 0 (TLS verification failures included)
};

PostResult blockingHttpPost(const Url& url, std::string_view contentType, std::string_view body,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            std::chrono::milliseconds timeout, SSL_CTX* tls = nullptr);

}  // namespace switchyard
