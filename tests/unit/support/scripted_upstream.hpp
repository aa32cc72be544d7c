#pragma once
// A fake upstream on loopback, run as coroutines on the test's own io_context: each request it
// receives is answered by the next step of its script (the last step repeats). Steps answer
// whole, stream SSE pieces with pauses between them, stall, or answer late; the upstream counts
// requests and notices when the gateway closes a connection on it (an aborted attempt).

#include <boost/asio.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/async.hpp"

namespace switchyard::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct UpstreamStep {
  int status = 200;
  std::string body;                      // a whole answer (Content-Length)
  std::vector<std::string> events;       // a stream: SSE data payloads, sent as chunks
  std::chrono::milliseconds before{0};   // wait this long before the head
  std::chrono::milliseconds between{0};  // and this long between stream events
  std::string extraHeaders;              // "Name: value\r\n" lines
  bool stallAfterHead = false;           // a stream: the head, then silence
  bool breakAfterEvents = false;         // a stream: the events, then the connection closes

  static UpstreamStep json(int status, std::string body) {
    UpstreamStep s;
    s.status = status;
    s.body = std::move(body);
    return s;
  }
  static UpstreamStep stream(std::vector<std::string> events) {
    UpstreamStep s;
    s.events = std::move(events);
    return s;
  }
  UpstreamStep& after(std::chrono::milliseconds d) {
    before = d;
    return *this;
  }
};

// An OpenAI chat.completion saying `text`.
inline std::string chatAnswer(std::string_view text) {
  return R"({"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,)"
         R"("message":{"role":"assistant","content":")" +
         std::string(text) +
         R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,)"
         R"("total_tokens":5}})";
}

// An OpenAI stream saying `text` in one content chunk, with usage and [DONE].
inline std::vector<std::string> chatStream(std::string_view text) {
  return {
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})",
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":")" +
          std::string(text) + R"("}}]})",
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})",
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})",
      "[DONE]"};
}

inline std::string openAiError(std::string_view message, std::string_view code = "") {
  std::string s = R"({"error":{"message":")" + std::string(message) + R"(","type":"error")";
  if (!code.empty()) s += R"(,"code":")" + std::string(code) + "\"";
  return s + "}}";
}

class ScriptedUpstream {
 public:
  ScriptedUpstream(asio::io_context& ioc, std::vector<UpstreamStep> script)
      : ioc_(ioc), acceptor_(ioc.get_executor()), script_(std::move(script)) {
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    asio::co_spawn(ioc_, acceptLoop(), asio::detached);
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  int requests() const { return requests_; }
  // Connections the gateway closed while this upstream was still answering on them.
  int abandoned() const { return abandoned_; }
  const std::vector<std::string>& bodies() const { return bodies_; }

  // Closes the listener and every connection, so the io_context runs out of work.
  void stop() {
    stopped_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& c : connections_) {
      if (auto s = c.lock()) s->close(ec);
    }
    for (auto& t : timers_) {
      if (auto timer = t.lock()) timer->cancel();
    }
  }

 private:
  Task<void> acceptLoop() {
    while (!stopped_) {
      auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
      if (ec) co_return;
      auto shared = std::make_shared<TcpSocket>(std::move(socket));
      connections_.push_back(shared);
      asio::co_spawn(ioc_, serve(shared), asio::detached);
    }
  }

  // The request's body, or nothing when the connection closed first.
  static Task<std::optional<std::string>> readRequest(TcpSocket& s, std::string& data) {
    char buf[4096];
    while (data.find("\r\n\r\n") == std::string::npos) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), kUseTuple);
      if (ec) co_return std::nullopt;
      data.append(buf, n);
    }
    const size_t head = data.find("\r\n\r\n") + 4;
    size_t length = 0;
    for (std::string_view name : {"Content-Length: ", "content-length: "}) {
      if (auto at = data.find(name); at != std::string::npos && at < head) {
        length = std::stoul(data.substr(at + name.size()));
      }
    }
    while (data.size() < head + length) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), kUseTuple);
      if (ec) co_return std::nullopt;
      data.append(buf, n);
    }
    std::string body = data.substr(head, length);
    data.erase(0, head + length);
    co_return body;
  }

  Task<bool> write(TcpSocket& s, std::string text) {
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(text), kUseTuple);
    (void)n;
    co_return !ec;
  }

  Task<bool> pause(std::chrono::milliseconds d) {
    if (d.count() == 0) co_return !stopped_;
    auto timer = std::make_shared<SteadyTimer>(ioc_, d);
    timers_.push_back(timer);
    co_await timer->async_wait(kUseTuple);
    co_return !stopped_;
  }

  Task<void> serve(std::shared_ptr<TcpSocket> s) {
    std::string data;
    while (!stopped_) {
      auto body = co_await readRequest(*s, data);
      if (!body) co_return;
      bodies_.push_back(*body);
      const UpstreamStep step = script_[std::min<size_t>(requests_, script_.size() - 1)];
      ++requests_;
      if (!co_await pause(step.before)) co_return;
      if (peerClosed(*s) || !co_await answer(*s, step)) {
        ++abandoned_;
        co_return;
      }
    }
  }

  // Whether the gateway closed the connection while the answer was being prepared: a read that
  // does not wait finds the end of the stream.
  static bool peerClosed(TcpSocket& s) {
    boost::system::error_code ec;
    s.non_blocking(true, ec);
    char byte;
    s.read_some(asio::buffer(&byte, 1), ec);
    boost::system::error_code ignored;
    s.non_blocking(false, ignored);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

  // False when the gateway closed the connection before the answer was written.
  Task<bool> answer(TcpSocket& s, const UpstreamStep& step) {
    if (step.events.empty() && !step.stallAfterHead) {
      co_return co_await write(
          s, "HTTP/1.1 " + std::to_string(step.status) +
                 " X\r\nContent-Type: application/json\r\n" + step.extraHeaders +
                 "Content-Length: " + std::to_string(step.body.size()) + "\r\n\r\n" + step.body);
    }
    if (!co_await write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" +
                               step.extraHeaders + "Transfer-Encoding: chunked\r\n\r\n")) {
      co_return false;
    }
    if (step.stallAfterHead) {
      // Silence until the gateway gives up on it (its read fails) or the test stops.
      char byte;
      co_await s.async_read_some(asio::buffer(&byte, 1), kUseTuple);
      co_return stopped_;
    }
    for (size_t i = 0; i < step.events.size(); ++i) {
      if (i > 0 && (!co_await pause(step.between) || peerClosed(s))) co_return false;
      const std::string event = "data: " + step.events[i] + "\n\n";
      char size[16];
      std::snprintf(size, sizeof size, "%zx\r\n", event.size());
      if (!co_await write(s, size + event + "\r\n")) co_return false;
    }
    if (step.breakAfterEvents) {
      boost::system::error_code ec;
      s.close(ec);
      co_return true;
    }
    co_return co_await write(s, "0\r\n\r\n");
  }

  asio::io_context& ioc_;
  TcpAcceptor acceptor_;
  std::vector<UpstreamStep> script_;
  std::vector<std::weak_ptr<TcpSocket>> connections_;
  std::vector<std::weak_ptr<SteadyTimer>> timers_;
  int requests_ = 0;
  int abandoned_ = 0;
  bool stopped_ = false;
  std::vector<std::string> bodies_;
};

}  // namespace switchyard::test
