#pragma once
// Blocking HTTP/1.1 POSTs to one URL, each with one deadline for the whole exchange, for the
// trace exporter's own thread (never a worker). http, or https through the given TLS context
// (certificate and host name verified). The connection is kept open between posts while the
// server allows it (an answer with a Content-Length and no "Connection: close"), so a busy
// exporter does not pay a TCP (and TLS) handshake per batch.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/ssl.h>

#include "core/url.hpp"

namespace switchyard {

struct PostResult {
  int status = 0;     // 0: no HTTP answer (connect failure, timeout, garbage)
  std::string error;  // why, when status is 0 (TLS verification failures included)
};

class BlockingHttpPoster {
 public:
  // `tls` (https URLs) must outlive the poster.
  explicit BlockingHttpPoster(Url url, SSL_CTX* tls = nullptr);
  ~BlockingHttpPoster();
  BlockingHttpPoster(const BlockingHttpPoster&) = delete;
  BlockingHttpPoster& operator=(const BlockingHttpPoster&) = delete;

  PostResult post(std::string_view contentType, std::string_view body,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  std::chrono::milliseconds timeout);

  uint64_t connectionsOpened() const { return opened_; }

  class Connection;  // an open socket (and TLS session); defined in the .cpp

 private:
  // One attempt on the kept connection, or a new one. `reused` says which it was.
  PostResult attempt(const std::string& head, std::string_view body,
                     std::chrono::steady_clock::time_point deadline, bool& reused);

  const Url url_;
  SSL_CTX* const tls_;
  std::unique_ptr<Connection> conn_;
  uint64_t opened_ = 0;
};

}  // namespace switchyard
