#include "telemetry/trace_context.hpp"

#include <algorithm>
#include <cstring>

#include "telemetry/text_buffer.hpp"

namespace switchyard {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is invalid in traceparent
}

template <size_t N>
bool parseHex(std::string_view text, std::array<uint8_t, N>& out) {
  if (text.size() != N * 2) return false;
  for (size_t i = 0; i < N; ++i) {
    const int hi = hexValue(text[2 * i]), lo = hexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = uint8_t(hi * 16 + lo);
  }
  return std::any_of(out.begin(), out.end(), [](uint8_t b) { return b != 0; });
}

}  // namespace

std::optional<ParsedTraceparent> parseTraceparent(std::string_view h) {
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  if (h.size() < 55 || h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  const int v1 = hexValue(h[0]), v0 = hexValue(h[1]);
  if (v1 < 0 || v0 < 0 || (v1 == 15 && v0 == 15)) return std::nullopt;
  // Version 00 has exactly four fields; a later version may append more after a dash.
  if (v1 == 0 && v0 == 0 && h.size() != 55) return std::nullopt;
  if (h.size() > 55 && h[55] != '-') return std::nullopt;
  ParsedTraceparent p{};
  std::array<uint8_t, 1> flags{};
  if (!parseHex(h.substr(3, 32), p.traceId) || !parseHex(h.substr(36, 16), p.parentSpanId)) {
    return std::nullopt;
  }
  const int f1 = hexValue(h[53]), f0 = hexValue(h[54]);
  if (f1 < 0 || f0 < 0) return std::nullopt;
  flags[0] = uint8_t(f1 * 16 + f0);
  p.sampled = (flags[0] & 1) != 0;
  return p;
}

void appendHex(std::string& out, const uint8_t* bytes, size_t n) {
  const size_t at = out.size();
  out.resize(at + 2 * n);
  putHex(out.data() + at, bytes, n);
}

char* putTraceparent(char* p, const TraceId& trace, const SpanId& span, bool sampled) {
  p = put(p, "00-");
  p = putHex(p, trace.data(), trace.size());
  *p++ = '-';
  p = putHex(p, span.data(), span.size());
  return put(p, sampled ? "-01" : "-00");
}

std::string formatTraceparent(const TraceId& trace, const SpanId& span, bool sampled) {
  std::string out(kTraceparentSize, '-');
  putTraceparent(out.data(), trace, span, sampled);
  return out;
}

// An id is random bytes, never all zero (invalid in W3C Trace Context): drawn again when zero.
TraceId randomTraceId(FastRandom& rng) {
  uint64_t words[2];
  do {
    words[0] = rng();
    words[1] = rng();
  } while ((words[0] | words[1]) == 0);
  TraceId id;
  std::memcpy(id.data(), words, sizeof words);
  return id;
}

SpanId randomSpanId(FastRandom& rng) {
  uint64_t word;
  do {
    word = rng();
  } while (word == 0);
  SpanId id;
  std::memcpy(id.data(), &word, sizeof word);
  return id;
}

TraceIds startTrace(std::string_view traceparent, double ratio, FastRandom& rng) {
  TraceIds t;
  if (auto parent = parseTraceparent(traceparent)) {
    if (!parent->sampled) return t;
    t.traceId = parent->traceId;
    t.parentSpanId = parent->parentSpanId;
    t.hasParent = true;
  } else {
    t.traceId = randomTraceId(rng);
    // The ratio sampler of the specification: the low 8 bytes of the id against a threshold.
    uint64_t low = 0;
    for (int i = 8; i < 16; ++i) low = (low << 8) | t.traceId[i];
    if (ratio < 1.0 && !(ratio > 0 && double(low >> 1) < ratio * double(uint64_t(1) << 63))) {
      return t;
    }
  }
  t.sampled = true;
  t.spanId = randomSpanId(rng);
  return t;
}

}  // namespace switchyard
