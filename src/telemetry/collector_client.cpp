#include "telemetry/collector_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <optional>

namespace switchyard {

namespace {

using Clock = std::chrono::steady_clock;

// A collector's answer is a small JSON or protobuf message; a larger one is not read.
constexpr size_t kMaxAnswerBytes = 1024 * 1024;
// Room for a whole batch in the socket (an export is up to a megabyte); Linux caps it at
// net.core.wmem_max.
constexpr int kSendBufferBytes = 4 * 1024 * 1024;

std::shared_ptr<asio::ssl::context> collectorTls(const TelemetrySettings& settings,
                                                 std::string& error) {
  if (!settings.otlpTracesUrl.tls) return nullptr;
  auto ctx = makeClientTlsContext(settings.otlpCaFile);
  if (!ctx) {
    error = ctx.error().message;
    return nullptr;
  }
  return std::move(*ctx);
}

UpstreamRequest requestTo(const TelemetrySettings& settings) {
  const Url& url = settings.otlpTracesUrl;
  UpstreamRequest r;
  r.target = url.path.empty() ? "/" : url.path;
  if (!url.query.empty()) r.target += "?" + url.query;
  r.headers = settings.otlpHeaders;
  r.contentType = settings.otlpProtocol == TelemetrySettings::OtlpProtocol::kHttpProtobuf
                      ? "application/x-protobuf"
                      : "application/json";
  return r;
}

}  // namespace

CollectorClient::CollectorClient(const TelemetrySettings& settings)
    : url_(settings.otlpTracesUrl),
      request_(requestTo(settings)),
      timeout_(settings.exportTimeout),
      pool_(io_.get_executor(), collectorTls(settings, setupError_),
            PoolSettings{.maxIdlePerOrigin = 1,
                         .connectTimeout = settings.exportTimeout,
                         .sendBufferBytes = kSendBufferBytes}) {}

uint64_t CollectorClient::connectionsOpened() const {
  uint64_t n = 0;
  pool_.stats().forEach([&](const OriginPoolCounters& c) { n += c.opened.load(); });
  return n;
}

Task<PostResult> CollectorClient::send(UpstreamExchange& exchange, std::string_view body) {
  auto started = co_await exchange.start(url_, request_, body, timeout_);
  if (!started) co_return PostResult{0, started.error().message};
  // Read to its end, so that the connection can carry the next batch.
  co_await exchange.readAll(timeout_, kMaxAnswerBytes);
  exchange.finish();
  co_return PostResult{exchange.status(), {}};
}

PostResult CollectorClient::post(std::string_view body) {
  if (!setupError_.empty()) return {0, setupError_};
  UpstreamExchange exchange(pool_);
  std::optional<PostResult> result;
  io_.restart();  // the last post may have left it out of work, which stops it
  asio::co_spawn(io_, send(exchange, body), [&](std::exception_ptr e, PostResult r) {
    result = e ? PostResult{0, "trace export failed unexpectedly"} : std::move(r);
  });
  const auto deadline = Clock::now() + timeout_;
  while (!result && io_.run_one_until(deadline) > 0) {
  }
  if (!result) {
    // Past the deadline: closing the connection ends the exchange's pending I/O, and with it
    // the coroutine.
    exchange.abort();
    while (!result && io_.run_one() > 0) {
    }
    if (!result || result->status == 0) {
      result = PostResult{0, "timed out after " + std::to_string(timeout_.count()) +
                                 " ms posting to " + url_.origin()};
    }
  }
  return std::move(*result);
}

}  // namespace switchyard
