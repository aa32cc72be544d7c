// Writing an answer to a connection: a whole reply, or a stream in chunked encoding, paced and
// cut as its knobs say.
#include "tools/mock-provider/mock_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>

namespace switchyard::mock {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

void appendChunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  char hex[16];
  auto [end, ec] = std::to_chars(hex, hex + sizeof hex, data.size(), 16);
  out.append(hex, end);
  out.append("\r\n");
  out.append(data);
  out.append("\r\n");
}

}  // namespace

asio::awaitable<bool> MockServer::writeReply(Connection& conn, const Reply& reply, bool keepAlive) {
  http::response<http::string_body> res;
  res.version(11);
  res.result(reply.status);
  res.set(http::field::content_type, "application/json");
  res.set("x-request-id", "req_mock");
  if (reply.retryAfterSeconds > 0) {
    res.set(http::field::retry_after, std::to_string(reply.retryAfterSeconds));
  }
  res.keep_alive(keepAlive);
  res.body() = reply.body;
  res.prepare_payload();
  auto [ec, n] = co_await http::async_write(conn.socket, res, kUseTuple);
  co_return !ec && keepAlive;
}

asio::awaitable<bool> MockServer::writeRaw(Connection& conn, const std::string& data) {
  auto [ec, n] = co_await asio::async_write(conn.socket, asio::buffer(data), kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> MockServer::sleepUntil(Connection& conn, Clock::time_point until) {
  if (stopped_) co_return false;
  conn.timer.expires_at(until);
  auto [ec] = co_await conn.timer.async_wait(kUseTuple);
  co_return !ec && !stopped_;
}

asio::awaitable<bool> MockServer::writeStream(Connection& conn, StreamPlan& plan,
                                              const RequestKnobs& knobs, bool keepAlive) {
  std::string out =
      "HTTP/1.1 200 OK\r\nContent-Type: " +
      (plan.contentType.empty() ? std::string("text/event-stream; charset=utf-8")
                                : plan.contentType) +
      "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\nx-request-id: req_mock\r\n";
  out.append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
  appendChunk(out, plan.head);

  // Unpaced streams go out in one write (still one HTTP chunk per event) to keep the mock cheap
  // as a benchmark upstream; paced ones event by event.
  const bool paced = knobs.ttftMs > 0 || knobs.tokensPerSecond > 0;
  auto abort = [&] {
    if (!stopped_) ++stats_->abortedStreams;
    return false;
  };
  if (paced) {
    if (!co_await writeRaw(conn, out)) co_return abort();
    out.clear();
  }
  const size_t total = plan.content.size();
  const bool cut = knobs.disconnectAfterChunks >= 0 && size_t(knobs.disconnectAfterChunks) <= total;
  const size_t count = cut ? size_t(knobs.disconnectAfterChunks) : total;
  const auto start = Clock::now() + std::chrono::milliseconds(knobs.ttftMs);
  const std::chrono::duration<double> interval(
      knobs.tokensPerSecond > 0 ? 1.0 / knobs.tokensPerSecond : 0.0);
  for (size_t i = 0; i < count; ++i) {
    appendChunk(out, plan.content[i]);
    if (!paced) continue;
    const auto at = start + std::chrono::duration_cast<Clock::duration>(interval * double(i));
    if (!co_await sleepUntil(conn, at)) co_return abort();
    if (!co_await writeRaw(conn, out)) co_return abort();
    out.clear();
  }
  if (cut) {
    if (!out.empty()) co_await writeRaw(conn, out);
    ++stats_->disconnectedStreams;
    co_return false;
  }
  appendChunk(out, plan.tail);
  out.append("0\r\n\r\n");
  if (!co_await writeRaw(conn, out)) co_return abort();
  ++stats_->completedStreams;
  co_return keepAlive;
}

}  // namespace switchyard::mock
