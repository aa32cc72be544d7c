#include "telemetry/span_exporter.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

namespace switchyard {
namespace {

using namespace std::chrono_literals;

std::string span(uint8_t n, SpanBuilder::Kind kind = SpanBuilder::Kind::kServer,
                 const SpanId* parent = nullptr, bool error = false) {
  TraceId trace;
  trace.fill(n);
  SpanId id;
  id.fill(uint8_t(n + 1));
  SpanBuilder s(trace, id, parent, kind, "chat", "m\"x", 1'700'000'000'000'000'000,
                1'700'000'000'000'000'123, error);
  s.str("gen_ai.request.model", "m").num("gen_ai.usage.input_tokens", 12);
  s.real("gen_ai.request.temperature", 0.5).flag("gen_ai.request.stream", true);
  return std::move(s).finish();
}

TEST(OtlpJson, EncodesResourceScopeAndSpans) {
  SpanId parent;
  parent.fill(0x01);
  const std::string one = span(0xab, SpanBuilder::Kind::kClient, &parent, true);
  const auto doc = boost::json::parse(encodeOtlpTraces({one, span(2)}, {"svc", "1.2"})).as_object();
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
  const auto& attrs = j.at("attributes").as_array();
  ASSERT_EQ(attrs.size(), 4u);
  EXPECT_EQ(attrs[0].at("key"), "gen_ai.request.model");
  EXPECT_EQ(attrs[0].at("value").at("stringValue"), "m");
  EXPECT_EQ(attrs[1].at("value").at("intValue"), "12");
  EXPECT_EQ(attrs[2].at("value").at("doubleValue"), 0.5);
  EXPECT_EQ(attrs[3].at("value").at("boolValue"), true);
  const auto& second = ss.at("spans").at(1).as_object();
  EXPECT_FALSE(second.contains("parentSpanId"));
  EXPECT_EQ(second.at("kind"), 2);
  EXPECT_EQ(second.at("status").at("code"), 0);
}

// A one-thread HTTP server on loopback: answers each POST with 200 and counts the spans, or
// (stalled) accepts and never answers.
class Collector {
 public:
  explicit Collector(bool stalled) : stalled_(stalled) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
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

template <class F>
bool eventually(F f) {
  for (int i = 0; i < 200 && !f(); ++i) std::this_thread::sleep_for(20ms);
  return f();
}

TEST(SpanExporter, SendsEverySpanInBatches) {
  Collector collector(false);
  SpanExporter exporter(settingsFor(collector.port()));
  for (int i = 0; i < 35; ++i) exporter.submit(span(uint8_t(i + 1)));
  EXPECT_TRUE(eventually([&] { return collector.spans() == 35; })) << collector.spans();
  EXPECT_GE(collector.posts(), 4u);  // batches of at most 10
  EXPECT_EQ(exporter.exported(), 35u);
  EXPECT_EQ(exporter.dropped(), 0u);
}

TEST(SpanExporter, AStalledCollectorMakesItDropNotBlock) {
  Collector collector(true);
  SpanExporter exporter(settingsFor(collector.port()));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) exporter.submit(span(uint8_t(i % 250 + 1)));
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
  exporter.submit(span(1));
  EXPECT_TRUE(eventually([&] { return exporter.failedExports() >= 1; }));
  EXPECT_EQ(exporter.exported(), 0u);
}

}  // namespace
}  // namespace switchyard
