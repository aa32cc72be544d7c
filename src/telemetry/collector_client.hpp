#pragma once
// The trace exporter's HTTP client: each export request is POSTed to the collector through the
// gateway's own client (client/: its pool, exchange and TLS), run on the exporter's thread by an
// io_context of its own, so that a slow or dead collector never touches a worker. The pool keeps
// the connection between batches while the collector allows it (a kept one that the collector
// closed meanwhile is replaced, once, by the exchange's stale-connection retry); a post has one
// deadline for the whole exchange, the export timeout.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "client/upstream_exchange.hpp"
#include "client/upstream_pool.hpp"
#include "config/telemetry_settings.hpp"

namespace switchyard {

struct PostResult {
  int status = 0;     // 0: no HTTP answer (connect or TLS failure, timeout, garbage)
  std::string error;  // why, when status is 0 (TLS verification failures included)
};

class CollectorClient {
 public:
  // The collector's URL, headers, content type (from the protocol), CA file and timeout.
  explicit CollectorClient(const TelemetrySettings& settings);
  CollectorClient(const CollectorClient&) = delete;
  CollectorClient& operator=(const CollectorClient&) = delete;

  // Blocks the calling thread, the exporter's, until the collector answered or the export
  // timeout passed. Only ever called from one thread at a time.
  PostResult post(std::string_view body);

  // Why every post fails without trying (an https CA file that cannot be read); else empty.
  const std::string& setupError() const { return setupError_; }
  uint64_t connectionsOpened() const;

 private:
  Task<PostResult> send(UpstreamExchange& exchange, std::string_view body);

  const Url url_;
  UpstreamRequest request_;  // target, content type and headers; each post has its own body
  const std::chrono::milliseconds timeout_;
  std::string setupError_;
  boost::asio::io_context io_{1};
  UpstreamPool pool_;  // after io_: its sockets and timers go before it
};

}  // namespace switchyard
