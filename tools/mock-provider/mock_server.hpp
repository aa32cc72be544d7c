// A fake OpenAI-compatible upstream with fault knobs, for integration tests, benchmarks and the
// gateway's no-API-key default. One MockServer is one acceptor on one io_context; run that
// io_context on one thread (the CLI gives each worker its own io_context and SO_REUSEPORT).
#pragma once

#include "tools/mock-provider/mock_options.hpp"
#include "tools/mock-provider/mock_stats.hpp"
#include "tools/mock-provider/openai_format.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>

namespace switchyard::mock {

struct Route;

class MockServer {
 public:
  // Binds and listens (throws boost::system::system_error on failure). Servers that serve one
  // port from several threads pass the same `stats`.
  MockServer(boost::asio::io_context& ioc, MockOptions options,
             std::shared_ptr<MockStats> stats = nullptr);
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  uint16_t port() const { return port_; }
  const MockOptions& options() const { return options_; }
  MockStats& stats() { return *stats_; }
  const std::shared_ptr<MockStats>& sharedStats() const { return stats_; }

  void start();  // co_spawns the accept loop
  // Closes the acceptor and every open connection; safe from any thread. The io_context's run()
  // returns once they are gone; destroy the server only after that.
  void stop();

 private:
  struct Connection;
  struct Request;
  // What to answer to one request, decided before any I/O.
  struct Action {
    enum Kind { kReply, kStream, kClose } kind = kReply;
    Reply reply;
    StreamPlan plan;
    RequestKnobs knobs;
    int delayMs = 0;
  };

  // Connection handling (mock_server.cpp).
  boost::asio::awaitable<void> acceptLoop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<void> serveRequests(Connection& conn);
  boost::asio::awaitable<bool> handle(Connection& conn, Request& req);

  // What to answer (mock_decide.cpp): the /mock/* controls, the key check, the route's
  // responder.
  Action decide(Request& req);
  std::optional<Reply> control(const Route& route, const std::string& body);
  std::string newId();

  // Fault injection (mock_faults.cpp). The request's knobs and the random error and stall, into
  // `action`; true when an error status is the answer (in action.reply).
  bool injectFaults(const Request& req, const boost::json::value& body, bool anthropic,
                    Action& action);
  // The answer as the knobs bend it: garbage instead of JSON, a connection dropped unanswered.
  static void applyAnswerFaults(Answer answer, bool generates, Action& action);

  // Writing the answer (mock_writer.cpp).
  boost::asio::awaitable<bool> writeReply(Connection& conn, const Reply& reply, bool keepAlive);
  boost::asio::awaitable<bool> writeStream(Connection& conn, StreamPlan& plan,
                                           const RequestKnobs& knobs, bool keepAlive);
  boost::asio::awaitable<bool> writeRaw(Connection& conn, const std::string& data);
  boost::asio::awaitable<bool> sleepUntil(Connection& conn,
                                          std::chrono::steady_clock::time_point until);

  boost::asio::io_context& ioc_;
  MockOptions options_;
  std::shared_ptr<MockStats> stats_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::mt19937_64 rng_;
  bool stopped_ = false;  // touched on the io_context's thread only
  std::unordered_set<Connection*> connections_;
};

}  // namespace switchyard::mock
