// Connection handling: the acceptor, one coroutine per connection reading its requests, and
// the delay before an answer, which notices a client that leaves meanwhile.
#include "tools/mock-provider/mock_server.hpp"

#include "tools/mock-provider/mock_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <optional>

namespace switchyard::mock {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr uint64_t kMaxBodyBytes = 64 * 1024 * 1024;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Notices a client that hangs up while the mock delays or paces its answer (a gateway cancelling
// a request), by cancelling the connection's timer, instead of only at the next write.
class CloseWatch {
 public:
  CloseWatch(tcp::socket& socket, asio::steady_timer& timer)
      : socket_(socket), state_(std::make_shared<State>()) {
    arm(socket_, timer, state_);
  }
  ~CloseWatch() {
    // The cancelled wait completes later; `active` tells its handler that the connection may
    // be gone by then.
    state_->active = false;
    boost::system::error_code ec;
    socket_.cancel(ec);
  }
  CloseWatch(const CloseWatch&) = delete;
  CloseWatch& operator=(const CloseWatch&) = delete;

  bool closed() const { return state_->closed; }

 private:
  struct State {
    bool active = true;
    bool closed = false;
  };

  static void arm(tcp::socket& socket, asio::steady_timer& timer, std::shared_ptr<State> state) {
    socket.async_wait(
        tcp::socket::wait_read, [&socket, &timer, state](const boost::system::error_code& ec) {
          if (!state->active || ec == asio::error::operation_aborted) return;
          char byte;
          const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
          if (n > 0) return;  // a pipelined next request: the client is still there
          if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !ec) {
            arm(socket, timer, state);
            return;
          }
          state->closed = true;
          timer.cancel();
        });
  }

  tcp::socket& socket_;
  std::shared_ptr<State> state_;
};

}  // namespace

MockServer::MockServer(asio::io_context& ioc, MockOptions options, std::shared_ptr<MockStats> stats)
    : ioc_(ioc),
      options_(std::move(options)),
      stats_(stats ? std::move(stats) : std::make_shared<MockStats>()),
      acceptor_(ioc),
      rng_(options_.seed) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  tcp::endpoint endpoint;
  if (!ec) {
    endpoint = tcp::endpoint(address, options_.port);
  } else {
    tcp::resolver resolver(ioc);
    endpoint = *resolver.resolve(options_.host, std::to_string(options_.port)).begin();
  }
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  if (options_.reusePort) acceptor_.set_option(ReusePort(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void MockServer::start() { asio::co_spawn(ioc_, acceptLoop(), asio::detached); }

void MockServer::stop() {
  asio::post(ioc_, [this] {
    stopped_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (Connection* conn : connections_) {
      conn->socket.shutdown(tcp::socket::shutdown_both, ec);
      conn->socket.close(ec);
      conn->timer.cancel();
    }
  });
}

asio::awaitable<void> MockServer::acceptLoop() {
  while (!stopped_) {
    auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
    if (stopped_ || ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning.
      asio::steady_timer pause(ioc_, std::chrono::milliseconds(10));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(ioc_, serve(std::make_shared<Connection>(std::move(socket))), asio::detached);
  }
}

asio::awaitable<void> MockServer::serve(std::shared_ptr<Connection> conn) {
  connections_.insert(conn.get());
  ++stats_->openConnections;
  try {
    co_await serveRequests(*conn);
  } catch (const std::exception&) {
    // The connection is dropped below; the mock keeps serving others.
  }
  boost::system::error_code ec;
  conn->socket.shutdown(tcp::socket::shutdown_both, ec);
  conn->socket.close(ec);
  conn->timer.cancel();
  connections_.erase(conn.get());
  --stats_->openConnections;
}

asio::awaitable<void> MockServer::serveRequests(Connection& conn) {
  beast::flat_buffer buffer;
  while (!stopped_) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    auto [ec, n] = co_await http::async_read_header(conn.socket, buffer, parser, kUseTuple);
    if (!ec && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!co_await writeRaw(conn, kContinue)) co_return;
    }
    if (!ec) std::tie(ec, n) = co_await http::async_read(conn.socket, buffer, parser, kUseTuple);
    if (ec) {
      Reply reply;
      if (ec == http::error::body_limit) {
        reply = statusReply(413, 0);
      } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message) {
        reply = errorReply(400, "Malformed HTTP request.", "invalid_request_error");
      }
      if (!reply.body.empty()) co_await writeReply(conn, reply, false);
      co_return;
    }
    Request req{parser.release()};
    const bool again = co_await handle(conn, req);
    if (!again) co_return;
  }
}

// GCC 12 mishandles non-trivial temporaries inside co_await expressions, so the coroutines here
// only await on named locals and the request is decided by a plain function (mock_decide.cpp).
asio::awaitable<bool> MockServer::handle(Connection& conn, Request& request) {
  const bool keepAlive = request.message.keep_alive();
  Action action;
  try {
    action = decide(request);
  } catch (const std::exception&) {
    action = Action{};
    action.reply = statusReply(500, 0);
  }
  const bool waits =
      action.delayMs > 0 || action.knobs.ttftMs > 0 || action.knobs.tokensPerSecond > 0;
  std::optional<CloseWatch> watch;
  if (waits) watch.emplace(conn.socket, conn.timer);
  if (action.delayMs > 0) {
    const auto until = Clock::now() + std::chrono::milliseconds(action.delayMs);
    if (!co_await sleepUntil(conn, until)) {
      if (watch->closed()) ++stats_->abandonedRequests;
      co_return false;
    }
  }
  if (action.kind == Action::kClose) co_return false;
  if (action.kind == Action::kStream) {
    const bool again = co_await writeStream(conn, action.plan, action.knobs, keepAlive);
    co_return again;
  }
  const bool again = co_await writeReply(conn, action.reply, keepAlive);
  co_return again;
}

}  // namespace switchyard::mock
