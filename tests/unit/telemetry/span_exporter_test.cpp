#include "telemetry/span_exporter.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "support/loopback_listener.hpp"
#include "support/span_samples.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

SpanRecord serverSpan(uint8_t n) {
  SpanRecord s;
  s.traceId.fill(n);
  s.spanId.fill(uint8_t(n + 1));
  s.httpStatus = 200;
  s.attempts = 1;
  s.stream = true;
  s.requestId = s.keep("req-1");
  s.requestModel = s.keep("gpt");
  return s;
}

boost::json::object attributesOf(const boost::json::value& span) {
  boost::json::object out;
  for (const auto& a : span.at("attributes").as_array()) {
    const auto& v = a.at("value").as_object();
    out[a.at("key").as_string()] = v.begin()->value();
  }
  return out;
}

std::string encode(const std::vector<SpanRecord>& spans, const TraceResource& resource) {
  TextBuffer out;
  OtlpTraceBatch batch(out, resource, {1'000, 1'700'000'000'000'000'000});
  for (const auto& s : spans) batch.add(s);
  return std::string(batch.finish());
}

TEST(OtlpJson, EncodesResourceScopeAndSpans) {
  const auto doc =
      boost::json::parse(encode({sampleClientSpan(0xab, true), serverSpan(2)}, {"svc", "1.2"}))
          .as_object();
  const auto& rs = doc.at("resourceSpans").at(0).as_object();
  EXPECT_EQ(rs.at("resource").at("attributes").at(0).at("value").at("stringValue"), "svc");
  const auto& ss = rs.at("scopeSpans").at(0).as_object();
  EXPECT_EQ(ss.at("scope").at("name"), "switchyard");
  ASSERT_EQ(ss.at("spans").as_array().size(), 2u);
  const auto& j = ss.at("spans").at(0).as_object();
  EXPECT_EQ(j.at("traceId"), "abababababababababababababababab");
  EXPECT_EQ(j.at("spanId"), "acacacacacacacac");
  EXPECT_EQ(j.at("parentSpanId"), "0101010101010101");
  EXPECT_EQ(j.at("name"), "chat m\"x");
  EXPECT_EQ(j.at("kind"), 3);
  EXPECT_EQ(j.at("startTimeUnixNano"), "1700000000000000000");
  EXPECT_EQ(j.at("endTimeUnixNano"), "1700000000000000123");
  EXPECT_EQ(j.at("status").at("code"), 2);
  const auto attrs = attributesOf(j);
  EXPECT_EQ(attrs.at("gen_ai.operation.name"), "chat");
  EXPECT_EQ(attrs.at("gen_ai.provider.name"), "openai");
  EXPECT_EQ(attrs.at("gen_ai.request.model"), "m\"x");
  EXPECT_EQ(attrs.at("gen_ai.request.max_tokens"), "12");
  EXPECT_EQ(attrs.at("gen_ai.request.temperature"), 0.5);
  EXPECT_FALSE(attrs.contains("gen_ai.request.top_p"));
  EXPECT_EQ(attrs.at("server.address"), "api.example.com");
  EXPECT_EQ(attrs.at("server.port"), "8443");
  EXPECT_EQ(attrs.at("switchyard.deployment"), "m#0");
  EXPECT_EQ(attrs.at("http.response.status_code"), "429");
  EXPECT_EQ(attrs.at("error.type"), "rate_limited");
  EXPECT_FALSE(attrs.contains("gen_ai.usage.input_tokens"));
  const auto& second = ss.at("spans").at(1).as_object();
  EXPECT_FALSE(second.contains("parentSpanId"));
  EXPECT_EQ(second.at("name"), "POST /v1/chat/completions");
  EXPECT_EQ(second.at("kind"), 2);
  EXPECT_FALSE(second.contains("status"));  // unset: the default, left out
  const auto server = attributesOf(second);
  EXPECT_EQ(server.at("http.route"), "/v1/chat/completions");
  EXPECT_EQ(server.at("switchyard.request_id"), "req-1");
  EXPECT_EQ(server.at("gen_ai.request.model"), "gpt");
  EXPECT_EQ(server.at("gen_ai.request.stream"), true);
  EXPECT_FALSE(server.contains("switchyard.key_alias"));  // empty: left out
  EXPECT_FALSE(server.contains("switchyard.cost_usd"));
}

TEST(SpanRecord, LongValuesAreCutAtACharacterBoundary) {
  SpanRecord s;
  std::string id(SpanRecord::kMaxValueLength - 1, 'a');
  id += "\xc3\xa9";  // "é" straddles the limit
  const SpanText kept = s.keep(id);
  EXPECT_EQ(s.view(kept), std::string(SpanRecord::kMaxValueLength - 1, 'a'));
  // The text runs out: later values are cut to what is left, then empty.
  while (s.textUsed < SpanRecord::kTextCapacity)
    s.keep(std::string(SpanRecord::kMaxValueLength, 'b'));
  EXPECT_EQ(s.keep("more").size, 0u);
  EXPECT_EQ(s.textUsed, SpanRecord::kTextCapacity);
}

TEST(SpanRing, HandsRecordsOverInOrderAndDropsWhenFull) {
  SpanRing ring(3);
  for (uint8_t i = 1; i <= 4; ++i) {
    if (SpanRecord* r = ring.claim()) {
      r->httpStatus = i;
      ring.publish();
    }
  }
  EXPECT_EQ(ring.dropped(), 1u);
  EXPECT_EQ(ring.queued(), 3u);
  std::vector<int> seen;
  EXPECT_EQ(ring.drain(2, [&](const SpanRecord& r) { seen.push_back(r.httpStatus); }), 2u);
  ASSERT_NE(ring.claim(), nullptr);  // a freed slot is reused
  ring.publish();
  ring.drain(10, [&](const SpanRecord& r) { seen.push_back(r.httpStatus); });
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3, 0}));
}

// A producer thread and a consumer thread: every record arrives once, intact and in order.
TEST(SpanRing, SurvivesAConcurrentProducerAndConsumer) {
  SpanRing ring(64);
  constexpr int kCount = 20'000;
  std::thread producer([&] {
    for (int i = 0; i < kCount;) {
      if (SpanRecord* r = ring.claim()) {
        r->attempts = i++;
        r->requestId = r->keep(std::to_string(r->attempts));
        ring.publish();
      }
    }
  });
  int next = 0;
  bool intact = true;
  while (next < kCount) {
    ring.drain(16, [&](const SpanRecord& r) {
      intact = intact && r.attempts == next && r.view(r.requestId) == std::to_string(next);
      ++next;
    });
  }
  producer.join();
  EXPECT_TRUE(intact);
  EXPECT_EQ(ring.queued(), 0u);
}

// A one-thread HTTP server on loopback: answers each POST with 200 and counts the spans, or
// (stalled) accepts and never answers.
class Collector {
 public:
  explicit Collector(bool stalled) : stalled_(stalled) {
    fd_ = test::listenOnLoopback(port_);
    thread_ = std::thread([this] { run(); });
  }
  ~Collector() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  uint16_t port() const { return port_; }
  size_t spans() const { return spans_.load(); }
  size_t posts() const { return posts_.load(); }

 private:
  void run() {
    while (!stop_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[65536];
      size_t need = std::string::npos;
      while (need == std::string::npos || req.size() < need) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, size_t(n));
        const size_t head = req.find("\r\n\r\n");
        if (head != std::string::npos && need == std::string::npos) {
          const size_t cl = req.find("Content-Length: ");
          need = head + 4 + std::stoul(req.substr(cl + 16));
        }
      }
      ++posts_;
      if (stalled_) {
        stalledConnections_.push_back(c);  // never answered, closed at the end
        continue;
      }
      const auto body = boost::json::parse(req.substr(req.find("\r\n\r\n") + 4));
      spans_ += body.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").as_array().size();
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
      ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
      ::close(c);
    }
    for (int c : stalledConnections_) ::close(c);
  }

  bool stalled_;
  int fd_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> spans_{0};
  std::atomic<size_t> posts_{0};
  std::vector<int> stalledConnections_;
  std::thread thread_;
};

TelemetrySettings settingsFor(uint16_t port) {
  TelemetrySettings t;
  t.tracing = true;
  t.otlpTracesUrl = *parseUrl("http://127.0.0.1:" + std::to_string(port) + "/v1/traces");
  t.exportInterval = 50ms;
  t.maxQueueSize = 100;
  t.maxExportBatchSize = 10;
  t.exportTimeout = 1000ms;
  return t;
}

void submit(SpanExporter& exporter, const SpanRecord& span) {
  if (SpanRecord* r = exporter.claim()) {
    *r = span;
    exporter.submit();
  }
}

template <class F>
bool eventually(F f) {
  for (int i = 0; i < 200 && !f(); ++i) std::this_thread::sleep_for(20ms);
  return f();
}

TEST(SpanExporter, SendsEverySpanInBatches) {
  Collector collector(false);
  SpanExporter exporter(settingsFor(collector.port()));
  for (int i = 0; i < 35; ++i) submit(exporter, serverSpan(uint8_t(i + 1)));
  EXPECT_TRUE(eventually([&] { return collector.spans() == 35; })) << collector.spans();
  EXPECT_GE(collector.posts(), 4u);  // batches of at most 10
  // The collector counts a batch before its answer reaches the exporter, which counts it then.
  EXPECT_TRUE(eventually([&] { return exporter.exported() == 35u; })) << exporter.exported();
  EXPECT_EQ(exporter.dropped(), 0u);
}

TEST(SpanExporter, ShutdownSendsEveryQueuedBatch) {
  Collector collector(false);
  TelemetrySettings settings = settingsFor(collector.port());
  settings.exportInterval = std::chrono::milliseconds(600'000);  // no tick within the test
  {
    SpanExporter exporter(settings);
    // Three workers' rings of 9 spans each: none holds a full batch (10), so nothing is sent
    // before the shutdown, which then has three batches to send.
    std::vector<std::thread> workers;
    for (int t = 0; t < 3; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < 9; ++i) submit(exporter, serverSpan(uint8_t(10 * t + i + 1)));
      });
    }
    for (auto& w : workers) w.join();
    EXPECT_EQ(collector.posts(), 0u);
  }
  EXPECT_EQ(collector.spans(), 27u);
  EXPECT_EQ(collector.posts(), 3u);
}

TEST(SpanExporter, AStalledCollectorMakesItDropNotBlock) {
  Collector collector(true);
  SpanExporter exporter(settingsFor(collector.port()));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) submit(exporter, serverSpan(uint8_t(i % 250 + 1)));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 500ms);  // submit never waits for the network
  // At most the queue plus the batch in flight are kept; the rest is dropped and counted.
  EXPECT_GE(exporter.dropped(), 1000u - 100u - 10u);
  EXPECT_TRUE(eventually([&] { return exporter.failedExports() >= 1; }));
}

TEST(SpanExporter, AnUnreachableCollectorCountsFailures) {
  uint16_t port;
  {
    Collector gone(false);
    port = gone.port();
  }
  SpanExporter exporter(settingsFor(port));
  submit(exporter, serverSpan(1));
  EXPECT_TRUE(eventually([&] { return exporter.failedExports() >= 1; }));
  EXPECT_EQ(exporter.exported(), 0u);
}

}  // namespace
}  // namespace switchyard
