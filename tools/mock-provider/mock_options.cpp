#include "tools/mock-provider/mock_options.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace switchyard::mock {
namespace {

namespace http = boost::beast::http;

template <typename T>
bool parseNumber(std::string_view text, T& out) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return false;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) return false;
  }
  out = value;
  return true;
}

std::optional<int64_t> intOf(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= uint64_t(std::numeric_limits<int64_t>::max())) {
    return int64_t(v.get_uint64());
  }
  if (v.is_double() && std::isfinite(v.get_double())) return int64_t(v.get_double());
  if (v.is_string()) {
    int64_t out = 0;
    if (parseNumber(std::string_view(v.get_string()), out)) return out;
  }
  return std::nullopt;
}

std::optional<double> doubleOf(const boost::json::value& v) {
  if (v.is_double()) return v.get_double();
  if (auto i = intOf(v)) return double(*i);
  return std::nullopt;
}

// Clamps to a sane range so that a hostile knob cannot make the mock sleep for years or allocate
// without bound.
int clampInt(int64_t v, int64_t lo, int64_t hi) { return int(std::max(lo, std::min(v, hi))); }

constexpr int64_t kMaxDelayMs = 10 * 60 * 1000;
constexpr int64_t kMaxTokens = 1'000'000;

void setInt(const boost::json::value* v, int& out, int64_t lo, int64_t hi) {
  if (v == nullptr) return;
  if (auto i = intOf(*v)) out = clampInt(*i, lo, hi);
}

void setIntHeader(const http::fields& headers, std::string_view name, int& out, int64_t lo,
                  int64_t hi) {
  auto it = headers.find(name);
  if (it == headers.end()) return;
  int64_t value = 0;
  if (parseNumber(std::string_view(it->value()), value)) out = clampInt(value, lo, hi);
}

bool truthy(std::string_view s) { return s == "1" || s == "true" || s == "yes"; }

}  // namespace

RequestKnobs defaultKnobs(const MockOptions& options) {
  RequestKnobs k;
  k.retryAfterSeconds = options.retryAfterSeconds;
  k.latencyMs = options.latencyMs;
  k.ttftMs = options.ttftMs;
  k.tokensPerSecond = options.tokensPerSecond;
  k.disconnectAfterChunks = options.disconnectAfterChunks;
  k.completionTokens = options.completionTokens;
  return k;
}

void applyBodyKnobs(const boost::json::object& mock, RequestKnobs& k) {
  setInt(mock.if_contains("status"), k.status, 100, 599);
  setInt(mock.if_contains("retry_after"), k.retryAfterSeconds, 0, 86400);
  setInt(mock.if_contains("latency_ms"), k.latencyMs, 0, kMaxDelayMs);
  setInt(mock.if_contains("ttft_ms"), k.ttftMs, 0, kMaxDelayMs);
  setInt(mock.if_contains("disconnect_after"), k.disconnectAfterChunks, -1, kMaxTokens);
  setInt(mock.if_contains("completion_tokens"), k.completionTokens, 0, kMaxTokens);
  setInt(mock.if_contains("context_window"), k.contextWindow, 0, 1 << 30);
  if (auto* v = mock.if_contains("tokens_per_second")) {
    if (auto d = doubleOf(*v); d && *d >= 0) k.tokensPerSecond = *d;
  }
  if (auto* v = mock.if_contains("garbage"); v && v->is_bool()) k.garbage = v->get_bool();
  if (auto* v = mock.if_contains("omit_usage"); v && v->is_bool()) k.omitUsage = v->get_bool();
  if (auto* v = mock.if_contains("content"); v && v->is_string()) {
    k.content = std::string(v->get_string());
  }
}

void applyHeaderKnobs(const http::fields& headers, RequestKnobs& k) {
  setIntHeader(headers, "x-mock-status", k.status, 100, 599);
  setIntHeader(headers, "x-mock-retry-after", k.retryAfterSeconds, 0, 86400);
  setIntHeader(headers, "x-mock-latency-ms", k.latencyMs, 0, kMaxDelayMs);
  setIntHeader(headers, "x-mock-ttft-ms", k.ttftMs, 0, kMaxDelayMs);
  setIntHeader(headers, "x-mock-disconnect-after", k.disconnectAfterChunks, -1, kMaxTokens);
  setIntHeader(headers, "x-mock-completion-tokens", k.completionTokens, 0, kMaxTokens);
  if (auto it = headers.find("x-mock-tokens-per-second"); it != headers.end()) {
    double d = 0;
    if (parseNumber(std::string_view(it->value()), d) && d >= 0) k.tokensPerSecond = d;
  }
  if (auto it = headers.find("x-mock-garbage"); it != headers.end()) {
    k.garbage = truthy(std::string_view(it->value()));
  }
}

std::string_view cliUsage() {
  return R"(Usage: mock-provider [options]
A fake OpenAI-compatible upstream with fault knobs.

  --host H                 address to listen on (default 127.0.0.1)
  --port P                 port (default 0: ephemeral)
  --workers N              threads, each with its own SO_REUSEPORT acceptor (default 1)
  --latency-ms N           delay before the response / before stream headers
  --ttft-ms N              extra delay before the first streamed content chunk
  --tokens-per-second X    pace of streamed chunks (default 0: as fast as possible)
  --error-rate F           fraction of requests answered with --error-status (0..1)
  --error-status N         status for --error-rate (default 500)
  --stall-rate F           fraction of requests delayed by --stall-ms more (0..1)
  --stall-ms N             extra delay of a stalled request (default 500)
  --retry-after S          retry-after seconds sent on 429 and 503
  --disconnect-after N     close the socket mid-stream after N content chunks
  --completion-tokens N    tokens per answer (default 16)
  --require-key K          require `Authorization: Bearer K` or `api-key: K`
  --seed N                 seed of the error-rate and id generator (default 42)
  --help                   this text

Per request, a body field "mock": {"status", "retry_after", "latency_ms", "ttft_ms",
"tokens_per_second", "disconnect_after", "completion_tokens", "garbage", "content",
"omit_usage", "context_window": a prompt over N tokens (4 bytes of its messages each) gets the
provider's context-length 400} or headers
x-mock-status, x-mock-retry-after, x-mock-latency-ms, x-mock-ttft-ms, x-mock-tokens-per-second,
x-mock-disconnect-after, x-mock-completion-tokens, x-mock-garbage override these.
Prints "mock-provider listening on HOST:PORT" once listening. GET /mock/stats (with requests by
model), POST /mock/reset.
A client that hangs up while its answer is delayed or paced is noticed at once (stats:
abandoned_requests before the answer began, aborted_streams during a stream).
POST /mock/faults {"status", "latency_ms", ..., "error_rate", "error_status"} sets defaults for
every later request until the next POST /mock/faults ({} clears them).
)";
}

std::string parseCli(int argc, const char* const* argv, CliConfig& out) {
  MockOptions& o = out.options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      return {};
    }
    static constexpr std::string_view kOptions[] = {"--host",
                                                    "--port",
                                                    "--workers",
                                                    "--latency-ms",
                                                    "--ttft-ms",
                                                    "--tokens-per-second",
                                                    "--error-rate",
                                                    "--error-status",
                                                    "--stall-rate",
                                                    "--stall-ms",
                                                    "--retry-after",
                                                    "--disconnect-after",
                                                    "--completion-tokens",
                                                    "--require-key",
                                                    "--seed"};
    if (std::find(std::begin(kOptions), std::end(kOptions), arg) == std::end(kOptions)) {
      return "unknown option " + std::string(arg);
    }
    if (i + 1 >= argc) return "missing value for " + std::string(arg);
    std::string_view value = argv[++i];
    auto bad = [&] { return "invalid value for " + std::string(arg) + ": " + std::string(value); };
    auto intArg = [&](int& dst, int64_t lo, int64_t hi) {
      int64_t v = 0;
      if (!parseNumber(value, v) || v < lo || v > hi) return false;
      dst = int(v);
      return true;
    };
    bool ok = true;
    if (arg == "--host") {
      o.host = std::string(value);
    } else if (arg == "--port") {
      int port = 0;
      ok = intArg(port, 0, 65535);
      o.port = uint16_t(port);
    } else if (arg == "--workers") {
      ok = intArg(out.workers, 1, 1024);
    } else if (arg == "--latency-ms") {
      ok = intArg(o.latencyMs, 0, kMaxDelayMs);
    } else if (arg == "--ttft-ms") {
      ok = intArg(o.ttftMs, 0, kMaxDelayMs);
    } else if (arg == "--tokens-per-second") {
      ok = parseNumber(value, o.tokensPerSecond) && o.tokensPerSecond >= 0;
    } else if (arg == "--error-rate") {
      ok = parseNumber(value, o.errorRate) && o.errorRate >= 0 && o.errorRate <= 1;
    } else if (arg == "--error-status") {
      ok = intArg(o.errorStatus, 400, 599);
    } else if (arg == "--stall-rate") {
      ok = parseNumber(value, o.stallRate) && o.stallRate >= 0 && o.stallRate <= 1;
    } else if (arg == "--stall-ms") {
      ok = intArg(o.stallMs, 0, kMaxDelayMs);
    } else if (arg == "--retry-after") {
      ok = intArg(o.retryAfterSeconds, 0, 86400);
    } else if (arg == "--disconnect-after") {
      ok = intArg(o.disconnectAfterChunks, -1, kMaxTokens);
    } else if (arg == "--completion-tokens") {
      ok = intArg(o.completionTokens, 0, kMaxTokens);
    } else if (arg == "--require-key") {
      o.requireKey = std::string(value);
    } else if (arg == "--seed") {
      ok = parseNumber(value, o.seed);
    }
    if (!ok) return bad();
  }
  return {};
}

}  // namespace switchyard::mock
