#pragma once
// W3C Trace Context (traceparent): parsing what a client sent, and the ids of this request's
// spans. Plain data, so a request that is not traced pays nothing for it. A request whose trace
// is not sampled is handled as with tracing off: no span ids, and the client's traceparent (if
// any) passed upstream unchanged, as W3C Trace Context allows a proxy that does not participate.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.hpp"

namespace switchyard {

using TraceId = std::array<uint8_t, 16>;
using SpanId = std::array<uint8_t, 8>;

struct TraceIds {
  bool sampled =
      false;  // tracing is on and this request's spans are exported; nothing else is set otherwise
  TraceId traceId{};
  SpanId spanId{};        // the server span
  SpanId parentSpanId{};  // the client's span, when it sent a traceparent
  bool hasParent = false;
};

struct ParsedTraceparent {
  TraceId traceId;
  SpanId parentSpanId;
  bool sampled;
};

// "00-<32 hex>-<16 hex>-<2 hex>"; all-zero ids and version ff are invalid. Later versions are
// read by their first four fields, as the specification asks.
std::optional<ParsedTraceparent> parseTraceparent(std::string_view header);

// "00-<trace id>-<span id>-<01|00>", written at `p` (kTraceparentSize bytes) or returned.
inline constexpr size_t kTraceparentSize = 55;
char* putTraceparent(char* p, const TraceId& trace, const SpanId& span, bool sampled);
std::string formatTraceparent(const TraceId& trace, const SpanId& span, bool sampled);

void appendHex(std::string& out, const uint8_t* bytes, size_t n);

TraceId randomTraceId(FastRandom& rng);
SpanId randomSpanId(FastRandom& rng);

// A new request's ids: the client's trace (and its sampling decision) when it sent a valid
// traceparent, otherwise a new trace sampled with `ratio` by its id. Span ids are drawn only for
// a sampled trace.
TraceIds startTrace(std::string_view traceparent, double ratio, FastRandom& rng);

}  // namespace switchyard
