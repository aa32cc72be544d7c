// Options of the mock provider: server-wide defaults (CLI), and the per-request fault knobs that
// override them so tests can drive faults through the gateway without restarting the mock.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::mock {

struct MockOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;           // 0: ephemeral
  int latencyMs = 0;           // delay before the response (non-stream) / before headers (stream)
  int ttftMs = 0;              // extra delay before the first content chunk of a stream
  double tokensPerSecond = 0;  // 0: as fast as possible; else one token per chunk at this pace
  double errorRate = 0;        // fraction of requests answered with errorStatus
  int errorStatus = 500;
  double stallRate = 0;  // fraction of requests delayed by stallMs more (a sometimes-slow upstream)
  int stallMs = 500;
  int retryAfterSeconds = 0;       // sent as retry-after on 429 and 503
  int disconnectAfterChunks = -1;  // >=0: close the socket mid-stream after N content chunks
  int completionTokens = 16;       // tokens per answer
  std::string requireKey;          // non-empty: require `Authorization: Bearer <key>` or `api-key`
  uint64_t seed = 42;
  bool reusePort = false;  // SO_REUSEPORT, so that several acceptors (workers) share one port
};

// The knobs in effect for one request.
struct RequestKnobs {
  int status = 200;
  int retryAfterSeconds = 0;
  int latencyMs = 0;
  int ttftMs = 0;
  double tokensPerSecond = 0;
  int disconnectAfterChunks = -1;
  int completionTokens = 16;
  bool garbage = false;
  bool omitUsage = false;  // a stream that ends without its token counts
  // >0: a model with this context window. A prompt longer (a token per 4 bytes of its messages'
  // JSON) gets the provider's context-length 400.
  int contextWindow = 0;
  std::optional<std::string> content;  // exact answer text instead of the generated one
};

RequestKnobs defaultKnobs(const MockOptions& options);
// The `"mock": {...}` body field; wrongly typed knobs are ignored (a bad request never crashes).
void applyBodyKnobs(const boost::json::object& mock, RequestKnobs& knobs);
// The x-mock-* request headers.
void applyHeaderKnobs(const boost::beast::http::fields& headers, RequestKnobs& knobs);

struct CliConfig {
  MockOptions options;
  int workers = 1;
  bool help = false;
};

// Parses the command line into `out`; returns an error message, empty on success.
std::string parseCli(int argc, const char* const* argv, CliConfig& out);
std::string_view cliUsage();

}  // namespace switchyard::mock
