// UpstreamExchange against a scripted HTTP server on loopback: every body framing, interim
// answers, garbage, the deadline sweep's timeouts, and connection reuse through the pool.

#include "client/upstream_exchange.hpp"
#include "core/async.hpp"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <functional>
#include <thread>

namespace switchyard {
namespace {

using tcp = asio::ip::tcp;

// Serves each accepted connection with `script`, which reads requests and writes answers.
class ScriptedServer {
 public:
  using Script = std::function<void(TcpSocket&)>;
  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] {
      while (true) {
        TcpSocket s(ioc_);
        boost::system::error_code ec;
        acceptor_.accept(s, ec);
        if (ec || stopping_) return;
        ++connections;
        script_(s);
      }
    });
  }
  ~ScriptedServer() {
    stopping_ = true;
    TcpSocket poke(ioc_);
    boost::system::error_code ec;
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  std::atomic<int> connections{0};

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  Script script_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Reads one request (head and Content-Length body); false when the client closed.
bool readRequest(TcpSocket& s) {
  std::string data;
  char buf[4096];
  boost::system::error_code ec;
  while (data.find("\r\n\r\n") == std::string::npos) {
    const size_t n = s.read_some(asio::buffer(buf), ec);
    if (ec) return false;
    data.append(buf, n);
  }
  const size_t head = data.find("\r\n\r\n") + 4;
  const size_t cl = data.find("Content-Length: ");
  const size_t want = std::stoul(data.substr(cl + 16));
  while (data.size() < head + want) {
    const size_t n = s.read_some(asio::buffer(buf), ec);
    if (ec) return false;
    data.append(buf, n);
  }
  return true;
}

void writePieces(TcpSocket& s, std::initializer_list<std::string_view> pieces) {
  for (auto p : pieces) {
    boost::system::error_code ec;
    asio::write(s, asio::buffer(p), ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

struct Outcome {
  Result<void> started;
  int status = 0;
  std::vector<std::string> pieces;
  std::optional<Error> bodyError;
};

// Runs `count` exchanges one after another through one pool.
std::vector<Outcome> run(const std::string& url, int count = 1,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  asio::io_context ioc;
  UpstreamPool pool(ioc.get_executor(), nullptr);
  std::vector<Outcome> outcomes;
  asio::co_spawn(
      ioc,
      [&]() -> Task<void> {
        for (int i = 0; i < count; ++i) {
          UpstreamExchange exchange(pool);
          UpstreamRequest request;
          request.target = "/v1/chat/completions";
          request.body = "{}";
          const Url base = *parseUrl(url);
          Outcome o;
          o.started =
              co_await exchange.start(base, std::move(request), {.requestId = "rid"}, timeout);
          if (o.started) {
            o.status = exchange.status();
            while (true) {
              auto piece = co_await exchange.readSome(timeout);
              if (!piece) {
                o.bodyError = piece.error();
                break;
              }
              if (piece->empty()) break;
              o.pieces.emplace_back(*piece);
            }
            exchange.finish();
          }
          outcomes.push_back(std::move(o));
        }
      },
      asio::detached);
  ioc.run();
  return outcomes;
}

std::string joined(const Outcome& o) {
  std::string s;
  for (const auto& p : o.pieces) s += p;
  return s;
}

TEST(UpstreamExchange, ChunkedBodyArrivesPieceByPieceAndTheConnectionIsReused) {
  ScriptedServer server([](TcpSocket& s) {
    while (readRequest(s)) {
      writePieces(s, {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "lo\r\n",
                      "6\r\n world\r\n0\r\n\r\n"});
    }
  });
  auto out = run(server.url(), 2);
  ASSERT_EQ(out.size(), 2u);
  for (const auto& o : out) {
    ASSERT_TRUE(o.started) << o.started.error().message;
    EXPECT_EQ(o.status, 200);
    EXPECT_FALSE(o.bodyError);
    EXPECT_EQ(joined(o), "hello world");
    EXPECT_GE(o.pieces.size(), 2u);  // not buffered into one piece
  }
  EXPECT_EQ(server.connections, 1);
}

TEST(UpstreamExchange, BodyUntilCloseAndInterimAnswers) {
  ScriptedServer server([](TcpSocket& s) {
    if (!readRequest(s)) return;
    writePieces(s, {"HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nfirst ", "second"});
    s.close();
  });
  auto out = run(server.url());
  ASSERT_TRUE(out[0].started);
  EXPECT_EQ(out[0].status, 200);
  EXPECT_FALSE(out[0].bodyError);
  EXPECT_EQ(joined(out[0]), "first second");
}

TEST(UpstreamExchange, GarbageIsAClearBadUpstreamError) {
  ScriptedServer server([](TcpSocket& s) {
    if (!readRequest(s)) return;
    writePieces(s, {"this is not HTTP\r\n\r\n"});
  });
  auto out = run(server.url());
  ASSERT_FALSE(out[0].started);
  EXPECT_EQ(out[0].started.error().status, 502);
  EXPECT_NE(out[0].started.error().message.find("malformed answer"), std::string::npos);
}

TEST(UpstreamExchange, SilentUpstreamTimesOutThroughTheSweep) {
  ScriptedServer server([](TcpSocket& s) {
    if (!readRequest(s)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto out = run(server.url(), 1, std::chrono::milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(out[0].started);
  EXPECT_EQ(out[0].started.error().cls, ErrorClass::kTimeout);
  EXPECT_LT(took, std::chrono::milliseconds(750));
}

TEST(UpstreamExchange, StalledBodyTimesOut) {
  ScriptedServer server([](TcpSocket& s) {
    if (!readRequest(s)) return;
    writePieces(s, {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"});
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
  });
  auto out = run(server.url(), 1, std::chrono::milliseconds(300));
  ASSERT_TRUE(out[0].started);
  ASSERT_TRUE(out[0].bodyError);
  EXPECT_EQ(out[0].bodyError->cls, ErrorClass::kTimeout);
  EXPECT_EQ(joined(out[0]), "abc");
}

TEST(UpstreamExchange, StaleKeepAliveConnectionIsRetriedOnAFreshOne) {
  ScriptedServer server([](TcpSocket& s) {
    // Answers one request per connection, then closes without saying so.
    if (!readRequest(s)) return;
    writePieces(s, {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    s.close();
  });
  auto out = run(server.url(), 2);
  ASSERT_EQ(out.size(), 2u);
  for (const auto& o : out) {
    ASSERT_TRUE(o.started) << o.started.error().message;
    EXPECT_EQ(joined(o), "ok");
  }
  EXPECT_EQ(server.connections, 2);
}

}  // namespace
}  // namespace switchyard
