// Fault knobs (server-wide and per request), authentication and /mock/stats.
#include "tests/unit/mock_provider/mock_test_support.hpp"

#include <chrono>

namespace switchyard::mock::testing {
namespace {

json::value stats(uint16_t port) { return parseJson(get(port, "/mock/stats").body); }

// Polls /mock/stats until `key` reaches `want` (the mock notices a gone client asynchronously).
bool waitForStat(uint16_t port, const char* key, int64_t want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (stats(port).at(key).to_number<int64_t>() == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST(MockProviderKnobs, ForcedRateLimitFromBodyAndHeaders) {
  RunningMock mock;
  auto res = post(mock.port(), "/v1/chat/completions",
                  chatBody(R"(,"mock":{"status":429,"retry_after":2})"));
  EXPECT_EQ(res.status, 429u);
  EXPECT_EQ(res.headers["retry-after"], "2");
  auto error = parseJson(res.body).at("error");
  EXPECT_EQ(error.at("type"), "rate_limit_error");
  EXPECT_EQ(error.at("code"), "rate_limit_exceeded");
  EXPECT_TRUE(error.at("param").is_null());

  res = post(mock.port(), "/v1/chat/completions", chatBody(),
             {{"x-mock-status", "503"}, {"x-mock-retry-after", "7"}});
  EXPECT_EQ(res.status, 503u);
  EXPECT_EQ(res.headers["retry-after"], "7");
  EXPECT_EQ(parseJson(res.body).at("error").at("type"), "server_error");

  res = post(mock.port(), "/v1/chat/completions", chatBody(R"(,"mock":{"status":500})"));
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(res.headers.count("retry-after"), 0u);
  EXPECT_EQ(parseJson(res.body).at("error").at("type"), "server_error");
}

TEST(MockProviderKnobs, ErrorRateOneFailsEveryRequest) {
  RunningMock mock(withOptions([](MockOptions& o) {
    o.errorRate = 1.0;
    o.errorStatus = 429;
    o.retryAfterSeconds = 3;
  }));
  for (int i = 0; i < 3; ++i) {
    auto res = post(mock.port(), "/v1/chat/completions", chatBody());
    EXPECT_EQ(res.status, 429u);
    EXPECT_EQ(res.headers["retry-after"], "3");
  }
}

TEST(MockProviderKnobs, RequireKeyAcceptsBearerAndApiKey) {
  RunningMock mock(withOptions([](MockOptions& o) { o.requireKey = "sk-test"; }));
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {}, {{"authorization", "Bearer sk-wrong"}}, {{"api-key", "sk-wrong"}}}) {
    auto res = post(mock.port(), "/v1/chat/completions", chatBody(), headers);
    EXPECT_EQ(res.status, 401u);
    auto error = parseJson(res.body).at("error");
    EXPECT_EQ(error.at("code"), "invalid_api_key");
    EXPECT_EQ(error.at("type"), "invalid_request_error");
  }
  EXPECT_EQ(
      post(mock.port(), "/v1/chat/completions", chatBody(), {{"authorization", "Bearer sk-test"}})
          .status,
      200u);
  EXPECT_EQ(post(mock.port(), "/v1/chat/completions", chatBody(), {{"api-key", "sk-test"}}).status,
            200u);
}

TEST(MockProviderKnobs, DisconnectAfterCutsTheStream) {
  RunningMock mock;
  auto res = post(mock.port(), "/v1/chat/completions",
                  chatBody(R"(,"stream":true,"mock":{"disconnect_after":3})"));
  EXPECT_EQ(res.status, 200u);
  EXPECT_TRUE(res.ec) << "the response should not complete";
  auto events = sseData(res.body);
  ASSERT_EQ(events.size(), 4u);  // role chunk + 3 content chunks, no finish, no [DONE]
  for (const auto& e : events) {
    EXPECT_TRUE(parseJson(e).at("choices").at(0).at("finish_reason").is_null());
  }
  // Header form, and a non-stream request: the connection closes without an answer.
  res = post(mock.port(), "/v1/chat/completions", chatBody(), {{"x-mock-disconnect-after", "0"}});
  EXPECT_TRUE(res.ec);
  EXPECT_EQ(res.status, 0u);
  auto s = stats(mock.port());
  EXPECT_EQ(s.at("disconnected_streams"), 1);
  EXPECT_EQ(s.at("completed_streams"), 0);
}

TEST(MockProviderKnobs, GarbageAnswersNonJson) {
  RunningMock mock;
  auto res = post(mock.port(), "/v1/chat/completions", chatBody(R"(,"mock":{"garbage":true})"));
  EXPECT_EQ(res.status, 200u);
  boost::system::error_code ec;
  json::parse(res.body, ec);
  EXPECT_TRUE(ec) << res.body;

  res = post(mock.port(), "/v1/chat/completions", chatBody(R"(,"stream":true)"),
             {{"x-mock-garbage", "true"}});
  EXPECT_EQ(res.status, 200u);
  size_t bad = 0;
  for (const auto& data : sseData(res.body)) {
    json::parse(data, ec);
    if (ec && data != "[DONE]") ++bad;
  }
  EXPECT_EQ(bad, 1u);
}

TEST(MockProviderKnobs, ContentAndCompletionTokensShapeTheAnswer) {
  RunningMock mock;
  auto answer = parseJson(post(mock.port(), "/v1/chat/completions",
                               chatBody(R"(,"mock":{"content":"Exactly these words."})"))
                              .body);
  EXPECT_EQ(answer.at("choices").at(0).at("message").at("content"), "Exactly these words.");
  EXPECT_EQ(answer.at("usage").at("completion_tokens"), 3);

  auto res = post(mock.port(), "/v1/chat/completions",
                  chatBody(R"(,"stream":true,"mock":{"completion_tokens":2,"content":"a b c"})"));
  std::string text;
  for (const auto& data : sseData(res.body)) {
    if (data == "[DONE]") continue;
    const json::value chunk = parseJson(data);
    const auto& delta = chunk.at("choices").at(0).at("delta").as_object();
    if (const auto* c = delta.if_contains("content")) text += c->as_string();
  }
  EXPECT_EQ(text, "a b c");  // forced content wins over the token count

  answer = parseJson(
      post(mock.port(), "/v1/chat/completions", chatBody(R"(,"mock":{"completion_tokens":5})"))
          .body);
  EXPECT_EQ(answer.at("usage").at("completion_tokens"), 5);
}

TEST(MockProviderKnobs, PacedStreamStillCompletes) {
  RunningMock mock;
  auto res = post(mock.port(), "/v1/chat/completions",
                  chatBody(R"(,"stream":true,"mock":{"tokens_per_second":500,"ttft_ms":5,)"
                           R"("latency_ms":5,"completion_tokens":5})"));
  EXPECT_FALSE(res.ec);
  auto events = sseData(res.body);
  ASSERT_EQ(events.size(), 8u);  // role, 5 tokens, finish, [DONE]
  EXPECT_EQ(events.back(), "[DONE]");
  EXPECT_EQ(stats(mock.port()).at("completed_streams"), 1);
}

TEST(MockProviderKnobs, ClientGoingAwayCountsAsAbortedStream) {
  RunningMock mock;
  Client client(mock.port());
  EXPECT_EQ(client.sendAndReadHeader("/v1/chat/completions",
                                     chatBody(R"(,"stream":true,"mock":{"tokens_per_second":50,)"
                                              R"("completion_tokens":1000})")),
            200u);
  client.close();
  EXPECT_TRUE(waitForStat(mock.port(), "aborted_streams", 1));
  EXPECT_TRUE(waitForStat(mock.port(), "open_connections", 1));  // only the stats request's
  EXPECT_EQ(stats(mock.port()).at("completed_streams"), 0);
}

TEST(MockProviderKnobs, ClientHangingUpDuringTheDelayIsNoticedAtOnce) {
  RunningMock mock;
  Client client(mock.port());
  // Far longer than waitForStat waits: only noticing the close ends the request in time.
  client.sendOnly("/v1/chat/completions", chatBody(R"(,"mock":{"latency_ms":60000})"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.close();
  EXPECT_TRUE(waitForStat(mock.port(), "abandoned_requests", 1));
  EXPECT_TRUE(waitForStat(mock.port(), "open_connections", 1));  // only the stats request's
}

TEST(MockProviderKnobs, StallRateDelaysThatShareOfRequests) {
  MockOptions options;
  options.stallRate = 1;
  options.stallMs = 150;
  RunningMock mock(options);
  const auto start = std::chrono::steady_clock::now();
  auto res = post(mock.port(), "/v1/chat/completions", chatBody());
  EXPECT_EQ(res.status, 200u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
  EXPECT_EQ(stats(mock.port()).at("stalled_requests"), 1);
}

TEST(MockProviderKnobs, StatsRecordTheLastRequestAndReset) {
  RunningMock mock;
  post(mock.port(), "/v1/chat/completions?x=1", chatBody(R"(,"stream_options":{"a":1})"),
       {{"Authorization", "Bearer sk-up"}, {"X-Custom-Header", "v"}});
  auto s = stats(mock.port());
  EXPECT_EQ(s.at("requests"), 1);
  const auto& last = s.at("last_request");
  EXPECT_EQ(last.at("method"), "POST");
  EXPECT_EQ(last.at("target"), "/v1/chat/completions?x=1");
  EXPECT_EQ(last.at("headers").at("authorization"), "Bearer sk-up");
  EXPECT_EQ(last.at("headers").at("x-custom-header"), "v");
  EXPECT_EQ(last.at("body").at("model"), "gpt-4o-mini");
  EXPECT_EQ(last.at("body").at("stream_options").at("a"), 1);

  post(mock.port(), "/v1/chat/completions", "not json");
  EXPECT_EQ(stats(mock.port()).at("last_request").at("body"), "not json");

  EXPECT_EQ(post(mock.port(), "/mock/reset", "").status, 200u);
  s = stats(mock.port());
  EXPECT_EQ(s.at("requests"), 0);
  EXPECT_TRUE(s.at("last_request").is_null());
}

TEST(MockProviderKnobs, HeaderAndBodyKnobParsing) {
  MockOptions options;
  options.latencyMs = 5;
  options.completionTokens = 9;
  RequestKnobs knobs = defaultKnobs(options);
  EXPECT_EQ(knobs.latencyMs, 5);
  EXPECT_EQ(knobs.completionTokens, 9);

  http::fields headers;
  headers.set("x-mock-status", "429");
  headers.set("x-mock-latency-ms", "not a number");
  headers.set("x-mock-disconnect-after", "2");
  headers.set("x-mock-garbage", "1");
  applyHeaderKnobs(headers, knobs);
  EXPECT_EQ(knobs.status, 429);
  EXPECT_EQ(knobs.latencyMs, 5);
  EXPECT_EQ(knobs.disconnectAfterChunks, 2);
  EXPECT_TRUE(knobs.garbage);

  applyBodyKnobs(json::parse(R"({"status":"503","tokens_per_second":12.5,"ttft_ms":-4,)"
                             R"("content":"x","garbage":"yes","latency_ms":1e12})")
                     .as_object(),
                 knobs);
  EXPECT_EQ(knobs.status, 503);
  EXPECT_DOUBLE_EQ(knobs.tokensPerSecond, 12.5);
  EXPECT_EQ(knobs.ttftMs, 0);  // clamped
  EXPECT_EQ(knobs.content, "x");
  EXPECT_TRUE(knobs.garbage);  // a string is not a bool: ignored
  EXPECT_EQ(knobs.latencyMs, 10 * 60 * 1000);
}

TEST(MockProviderKnobs, CommandLineParsing) {
  const char* argv[] = {"mock-provider",
                        "--port",
                        "8080",
                        "--workers",
                        "4",
                        "--latency-ms",
                        "20",
                        "--ttft-ms",
                        "30",
                        "--tokens-per-second",
                        "45.5",
                        "--error-rate",
                        "0.25",
                        "--error-status",
                        "503",
                        "--retry-after",
                        "2",
                        "--disconnect-after",
                        "3",
                        "--completion-tokens",
                        "8",
                        "--require-key",
                        "sk-1",
                        "--host",
                        "0.0.0.0",
                        "--stall-rate",
                        "0.1",
                        "--stall-ms",
                        "700"};
  CliConfig config;
  ASSERT_EQ(parseCli(int(std::size(argv)), argv, config), "");
  const MockOptions& o = config.options;
  EXPECT_EQ(o.port, 8080);
  EXPECT_EQ(config.workers, 4);
  EXPECT_EQ(o.latencyMs, 20);
  EXPECT_EQ(o.ttftMs, 30);
  EXPECT_DOUBLE_EQ(o.tokensPerSecond, 45.5);
  EXPECT_DOUBLE_EQ(o.errorRate, 0.25);
  EXPECT_EQ(o.errorStatus, 503);
  EXPECT_EQ(o.retryAfterSeconds, 2);
  EXPECT_EQ(o.disconnectAfterChunks, 3);
  EXPECT_EQ(o.completionTokens, 8);
  EXPECT_EQ(o.requireKey, "sk-1");
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_DOUBLE_EQ(o.stallRate, 0.1);
  EXPECT_EQ(o.stallMs, 700);
  EXPECT_FALSE(config.help);

  for (std::vector<const char*> bad : {std::vector<const char*>{"m", "--port", "70000"},
                                       {"m", "--error-rate", "2"},
                                       {"m", "--workers"},
                                       {"m", "--bogus", "1"},
                                       {"m", "--latency-ms", "12ms"}}) {
    CliConfig c;
    EXPECT_NE(parseCli(int(bad.size()), bad.data(), c), "") << bad[1];
  }
  const char* help[] = {"m", "--help"};
  CliConfig c;
  EXPECT_EQ(parseCli(2, help, c), "");
  EXPECT_TRUE(c.help);
}

TEST(MockProviderKnobs, WorkersShareOnePortWithReusePort) {
  asio::io_context first(1);
  asio::io_context second(1);
  auto sharedStats = std::make_shared<MockStats>();
  MockServer a(first, withOptions([](MockOptions& o) { o.reusePort = true; }), sharedStats);
  MockServer b(second, withOptions([&](MockOptions& o) {
                 o.port = a.port();
                 o.reusePort = true;
               }),
               sharedStats);
  EXPECT_EQ(a.port(), b.port());
  a.start();
  b.start();
  std::thread ta([&] { first.run(); });
  std::thread tb([&] { second.run(); });
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(post(a.port(), "/v1/chat/completions", chatBody()).status, 200u);
  }
  EXPECT_EQ(sharedStats->requests.load(), 8u);
  a.stop();
  b.stop();
  ta.join();
  tb.join();
}

}  // namespace
}  // namespace switchyard::mock::testing
