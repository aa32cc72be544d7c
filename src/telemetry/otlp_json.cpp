#include "telemetry/otlp_json.hpp"

#include "telemetry/request_spans.hpp"

namespace switchyard {

namespace {

// The most one span's JSON takes besides its escaped text: ids, times, literal keys, numbers.
constexpr size_t kSpanFixedBytes = 4096;

template <size_t N>
char* putHexString(char* p, const std::array<uint8_t, N>& id) {
  *p++ = '"';
  p = putHex(p, id.data(), id.size());
  *p++ = '"';
  return p;
}

// The attribute list of one span, written through the cursor. Keys are literals with nothing
// to escape.
class Attributes {
 public:
  explicit Attributes(char* p) : p_(p) {}
  char* end() const { return p_; }

  void str(std::string_view k, std::string_view value) {
    key(k);
    p_ = put(p_, "\"stringValue\":\"");
    p_ = putJsonEscaped(p_, value);
    p_ = put(p_, "\"}}");
  }
  // Omitted when empty.
  void strIfAny(std::string_view k, std::string_view value) {
    if (!value.empty()) str(k, value);
  }
  void num(std::string_view k, int64_t value) {
    key(k);
    p_ = put(p_, "\"intValue\":\"");
    p_ = putInt(p_, value);
    p_ = put(p_, "\"}}");
  }
  void real(std::string_view k, double value) {
    key(k);
    p_ = put(p_, "\"doubleValue\":");
    p_ = putJsonNumber(p_, value);
    p_ = put(p_, "}}");
  }
  void flag(std::string_view k, bool value) {
    key(k);
    p_ = put(p_, value ? std::string_view("\"boolValue\":true}}") : "\"boolValue\":false}}");
  }
  void number(std::string_view k, const SpanNumber& n) {
    if (n.type == SpanNumber::Type::kInt) num(k, n.i);
    if (n.type == SpanNumber::Type::kReal) real(k, n.d);
  }

 private:
  void key(std::string_view k) {
    if (!first_) *p_++ = ',';
    first_ = false;
    p_ = put(p_, "{\"key\":\"");
    p_ = put(p_, k);
    p_ = put(p_, "\",\"value\":{");
  }

  char* p_;
  bool first_ = true;
};

void serverAttributes(Attributes& a, const SpanRecord& s, std::string_view route) {
  a.str("http.request.method", "POST");
  a.str("http.route", route);
  a.num("http.response.status_code", s.httpStatus);
  a.str("switchyard.request_id", s.view(s.requestId));
  // The GenAI details (provider, usage, parameters) are on the client spans: each byte here is
  // paid on every traced request.
  a.strIfAny("gen_ai.request.model", s.view(s.requestModel));
  a.strIfAny("switchyard.model_group", s.view(s.modelGroup));
  a.strIfAny("switchyard.deployment", s.view(s.deployment));
  a.strIfAny("switchyard.key_alias", s.view(s.keyAlias));
  a.num("switchyard.attempts", s.attempts);
  if (s.retries > 0) a.num("switchyard.retries", s.retries);
  if (s.fallbacks > 0) a.num("switchyard.fallbacks", s.fallbacks);
  a.flag("gen_ai.request.stream", s.stream);
  if (s.costKnown) a.real("switchyard.cost_usd", s.costUsd);
  a.strIfAny("error.type", s.view(s.errorType));
}

void clientAttributes(Attributes& a, const SpanRecord& s, std::string_view operation) {
  a.str("gen_ai.operation.name", operation);
  a.str("gen_ai.provider.name", s.view(s.provider));
  a.str("gen_ai.request.model", s.view(s.upstreamModel));
  a.number("gen_ai.request.max_tokens", s.maxTokens);
  a.number("gen_ai.request.max_tokens", s.maxCompletionTokens);
  a.number("gen_ai.request.temperature", s.temperature);
  a.number("gen_ai.request.top_p", s.topP);
  a.str("server.address", s.view(s.serverAddress));
  a.num("server.port", s.serverPort);
  a.str("switchyard.deployment", s.view(s.deployment));
  if (s.httpStatus != 0) a.num("http.response.status_code", s.httpStatus);
  if (s.usagePresent) {
    a.num("gen_ai.usage.input_tokens", s.inputTokens);
    a.num("gen_ai.usage.output_tokens", s.outputTokens);
    if (s.cachedInputTokens > 0) a.num("gen_ai.usage.cache_read.input_tokens", s.cachedInputTokens);
  }
  a.strIfAny("error.type", s.view(s.errorType));
}

char* putResourceAttribute(char* p, std::string_view key, std::string_view value) {
  p = put(p, "{\"key\":\"");
  p = put(p, key);
  p = put(p, "\",\"value\":{\"stringValue\":\"");
  p = putJsonEscaped(p, value);
  return put(p, "\"}}");
}

}  // namespace

UnixTimeOfSteady UnixTimeOfSteady::now() {
  using namespace std::chrono;
  return {duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count(),
          duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count()};
}

OtlpTraceBatch::OtlpTraceBatch(TextBuffer& out, const TraceResource& resource,
                               UnixTimeOfSteady clock)
    : out_(out), clock_(clock) {
  out_.clear();
  char* p = out_.reserve(1024 + kMaxJsonEscapedGrowth * (resource.serviceName.size() +
                                                         2 * resource.serviceVersion.size()));
  p = put(p, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
  p = putResourceAttribute(p, "service.name", resource.serviceName);
  *p++ = ',';
  p = putResourceAttribute(p, "service.version", resource.serviceVersion);
  *p++ = ',';
  p = putResourceAttribute(p, "telemetry.sdk.name", "switchyard");
  *p++ = ',';
  p = putResourceAttribute(p, "telemetry.sdk.language", "cpp");
  p = put(p, "]},\"scopeSpans\":[{\"scope\":{\"name\":\"switchyard\",\"version\":\"");
  p = putJsonEscaped(p, resource.serviceVersion);
  p = put(p, "\"},\"spans\":[");
  out_.commit(p);
}

void OtlpTraceBatch::add(const SpanRecord& s) {
  // The text may be written twice (a client span's model is in its name and an attribute).
  char* p = out_.reserve(kSpanFixedBytes + 2 * kMaxJsonEscapedGrowth * s.textUsed);
  if (spans_++ > 0) *p++ = ',';
  const bool server = s.kind == SpanRecord::Kind::kServer;
  // The name: "POST <route>" for the server, "<operation> <model>" for a client.
  const std::string_view first = server ? "POST" : genAiOperation(s.endpoint);
  const std::string_view second =
      server ? httpRoute(s.endpoint, s.format) : s.view(s.upstreamModel);
  p = put(p, "{\"traceId\":");
  p = putHexString(p, s.traceId);
  p = put(p, ",\"spanId\":");
  p = putHexString(p, s.spanId);
  if (s.hasParent) {
    p = put(p, ",\"parentSpanId\":");
    p = putHexString(p, s.parentSpanId);
  }
  p = put(p, ",\"name\":\"");
  p = put(p, first);
  if (!second.empty()) {
    *p++ = ' ';
    p = putJsonEscaped(p, second);
  }
  p = put(p, server ? std::string_view("\",\"kind\":2") : "\",\"kind\":3");
  p = put(p, ",\"startTimeUnixNano\":\"");
  p = putInt(p, clock_(s.startSteadyNanos));
  p = put(p, "\",\"endTimeUnixNano\":\"");
  p = putInt(p, clock_(s.endSteadyNanos));
  p = put(p, s.error ? std::string_view("\",\"status\":{\"code\":2},\"attributes\":[")
                     : "\",\"status\":{\"code\":0},\"attributes\":[");
  Attributes a(p);
  if (server) {
    serverAttributes(a, s, second);
  } else {
    clientAttributes(a, s, first);
  }
  p = put(a.end(), "]}");
  out_.commit(p);
}

void OtlpTraceBatch::finish() { out_.commit(put(out_.reserve(8), "]}]}]}")); }

}  // namespace switchyard
