#include "server/http_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <optional>

#include "core/async.hpp"
#include "core/chunked_decoder.hpp"
#include "core/read_buffer.hpp"
#include "server/http_request.hpp"
#include "server/request_router.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"

namespace switchyard {

namespace asio = boost::asio;

namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;

// Keeps the gateway's session count and the worker's connection list right on every exit path.
class SessionScope {
 public:
  SessionScope(Worker& w, ClientConnection& conn) : worker_(w) {
    worker_.state().activeSessions.fetch_add(1, std::memory_order_relaxed);
    worker_.sessions().push_back(conn);
  }
  ~SessionScope() { worker_.state().activeSessions.fetch_sub(1, std::memory_order_relaxed); }

 private:
  Worker& worker_;
};

// The client, not an upstream, was too slow: 408, not 504.
Error requestTimeout(std::string message) {
  Error e = Error::make(ErrorClass::kTimeout, std::move(message), {}, "request_timeout");
  e.status = 408;
  return e;
}

Error payloadTooLarge(size_t limit) {
  return Error::make(
      ErrorClass::kPayloadTooLarge,
      "Request body is larger than the limit of " + std::to_string(limit) + " bytes.", {},
      "request_too_large");
}

// The client's address, read once for the connection (the login throttle counts by it).
PeerAddress peerOf(const TcpSocket& socket) {
  PeerAddress peer;
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return peer;
  const auto address = endpoint.address();
  peer.bytes = address.is_v4()
                   ? asio::ip::make_address_v6(asio::ip::v4_mapped, address.to_v4()).to_bytes()
                   : address.to_v6().to_bytes();
  return peer;
}

enum class ReadFailure { kNone, kClosed, kTimeout };

// One read of whatever the client sent next, within the connection's current deadline:
// co_await startRead(), then pass its result to readDone(). The operation itself is returned: a
// coroutine around it would cost a frame on every request.
auto startRead(ClientConnection& conn, ReadBuffer& buffer) {
  return conn.socket.async_read_some(conn.deadline.readRoom(buffer.prepare()), kUseTuple);
}

ReadFailure readDone(ClientConnection& conn, ReadBuffer& buffer, const ReadResult& result) {
  const auto [ec, n] = result;
  if (conn.deadline.readTimedOut(ec, n)) return ReadFailure::kTimeout;
  if (ec) return ReadFailure::kClosed;
  buffer.commit(n);
  return ReadFailure::kNone;
}

// The same as one coroutine, where a frame does not matter (bodies that arrive in parts).
Task<ReadFailure> readMore(ClientConnection& conn, ReadBuffer& buffer) {
  const auto read = co_await startRead(conn, buffer);
  co_return readDone(conn, buffer, read);
}

class Session {
 public:
  Session(Worker& worker, TcpSocket socket)
      : worker_(worker), conn_(worker.deadlines(), std::move(socket)), scope_(worker, conn_) {
    // For the Responder's writeNow; Asio's asynchronous operations ignore the flag.
    boost::system::error_code ec;
    conn_.socket.non_blocking(true, ec);
    request_.setPeer(peerOf(conn_.socket));
  }

  Task<void> run();

 private:
  // Reads and parses the next request head; the error, when there is one, is what to answer
  // (nullopt with false: close quietly).
  // The next request's head, in steps that Session::run drives: beginHead() arms the deadline
  // and says whether to yield first; findHead() looks for (and parses) a complete head, and
  // after each read headReadDone() says whether the connection can go on.
  enum class HeadStep { kFound, kMore, kFailed };
  bool beginHead(const ServerSettings& settings);
  HeadStep findHead(std::optional<Error>& answer);
  bool headReadDone(const ReadResult& read, std::optional<Error>& answer);
  Task<bool> readBody(const ServerSettings& settings, std::optional<Error>& answer);
  // The same without a coroutine when the whole body is already buffered, as it usually is (it
  // comes with the head); nothing when readBody has to wait for more.
  std::optional<bool> takeBufferedBody(const ServerSettings& settings,
                                       std::optional<Error>& answer);
  // Copies a Content-Length body that is all in the buffer into the request.
  void takeBody(size_t length);
  Task<void> sendEarlyError(unsigned version, const Error& e) {
    Responder responder(conn_, version, false);
    co_await responder.sendError(e, InboundFormat::kOpenAi);
  }

  Worker& worker_;
  ClientConnection conn_;
  SessionScope scope_;
  ReadBuffer buffer_;
  HttpRequest request_;
  size_t headSize_ = 0;   // bytes of the current request's head in buffer_
  size_t searched_ = 0;   // where the search for the head's end goes on after a read
  size_t bodyBytes_ = 0;  // bytes of the current request's body in buffer_ after the head
  bool first_ = true;
};

bool Session::beginHead(const ServerSettings& settings) {
  // Idle until the first byte of the next request; a draining gateway closes idle connections.
  conn_.idle = buffer_.size() == 0;
  conn_.deadline.expiresAfter(first_ ? settings.headerTimeout : settings.keepAliveTimeout);
  // The answer just went out, so the next request cannot be here yet: reading now would cost a
  // system call that finds nothing. Other connections' work goes first, and by the time this one
  // reads, its client has often sent again.
  const bool yield = conn_.idle && !first_;
  first_ = false;
  searched_ = 0;
  return yield;
}

Session::HeadStep Session::findHead(std::optional<Error>& answer) {
  const std::string_view data = buffer_.data();
  const size_t end = data.find("\r\n\r\n", searched_);
  if (end == std::string_view::npos) {
    if (data.size() >= kMaxHeaderBytes) {
      answer = Error::make(ErrorClass::kBadRequest, "Request headers too large.", {},
                           "headers_too_large");
      return HeadStep::kFailed;
    }
    searched_ = data.size() < 3 ? 0 : data.size() - 3;
    return HeadStep::kMore;
  }
  headSize_ = end + 4;
  if (auto parsed = parseRequestHead(data.substr(0, headSize_), request_); !parsed) {
    answer = parsed.error();
    return HeadStep::kFailed;
  }
  return HeadStep::kFound;
}

bool Session::headReadDone(const ReadResult& read, std::optional<Error>& answer) {
  const ReadFailure failure = readDone(conn_, buffer_, read);
  conn_.idle = false;
  if (failure == ReadFailure::kTimeout && buffer_.size() > 0) {
    answer = requestTimeout("Request headers were not received in time.");
  }
  return failure == ReadFailure::kNone;
}

std::optional<bool> Session::takeBufferedBody(const ServerSettings& settings,
                                              std::optional<Error>& answer) {
  if (request_.chunked()) return std::nullopt;
  const auto length = request_.contentLength();
  if (length && *length > settings.maxRequestBodyBytes) {
    answer = payloadTooLarge(settings.maxRequestBodyBytes);
    return false;
  }
  const size_t want = static_cast<size_t>(length.value_or(0));
  if (buffer_.size() - headSize_ < want) return std::nullopt;
  takeBody(want);
  return true;
}

void Session::takeBody(size_t length) {
  request_.body().assign(buffer_.data().substr(headSize_, length));
  bodyBytes_ = length;
}

Task<bool> Session::readBody(const ServerSettings& settings, std::optional<Error>& answer) {
  // takeBufferedBody came first: a Content-Length over the limit was refused there, before any
  // of the body was read.
  const size_t limit = settings.maxRequestBodyBytes;
  const auto length = request_.contentLength();
  conn_.deadline.expiresAfter(settings.bodyTimeout);
  if (request_.expectsContinue() && buffer_.size() == headSize_ &&
      (request_.chunked() || length.value_or(0) > 0)) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [ec, n] = co_await asio::async_write(conn_.socket, asio::buffer(kContinue), kUseTuple);
    if (ec) co_return false;
  }
  std::string& body = request_.body();
  body.clear();
  if (!request_.chunked()) {
    const size_t want = static_cast<size_t>(length.value_or(0));
    while (buffer_.size() - headSize_ < want) {
      const ReadFailure failure = co_await readMore(conn_, buffer_);
      if (failure == ReadFailure::kTimeout) {
        answer = requestTimeout("Request body was not received in time.");
      }
      if (failure != ReadFailure::kNone) co_return false;
    }
    takeBody(want);
    co_return true;
  }
  ChunkedDecoder decoder(limit);
  size_t offset = headSize_;
  while (true) {
    auto used = decoder.feed(buffer_.data().substr(offset), body);
    if (!used) {
      answer = used.error();
      co_return false;
    }
    offset += *used;
    if (decoder.done()) break;
    const ReadFailure failure = co_await readMore(conn_, buffer_);
    if (failure == ReadFailure::kTimeout) {
      answer = requestTimeout("Request body was not received in time.");
    }
    if (failure != ReadFailure::kNone) co_return false;
  }
  bodyBytes_ = offset - headSize_;
  co_return true;
}

Task<void> Session::run() {
  boost::system::error_code ignored;
  conn_.socket.set_option(asio::ip::tcp::no_delay(true), ignored);

  while (!worker_.state().draining.load(std::memory_order_relaxed)) {
    const auto snapshot = worker_.snapshot();
    const auto& settings = snapshot->server;
    std::optional<Error> answer;
    // The head is read here, not in a coroutine of its own: one frame per request fewer.
    if (beginHead(settings)) co_await asio::post(co_await asio::this_coro::executor, kUseAwaitable);
    HeadStep step;
    while ((step = findHead(answer)) == HeadStep::kMore) {
      const auto read = co_await startRead(conn_, buffer_);
      if (!headReadDone(read, answer)) {
        step = HeadStep::kFailed;
        break;
      }
    }
    if (step == HeadStep::kFailed) {
      if (answer) co_await sendEarlyError(11, *answer);
      break;
    }
    const char* headAt = buffer_.data().data();
    std::optional<bool> bodyRead = takeBufferedBody(settings, answer);
    if (!bodyRead) bodyRead = co_await readBody(settings, answer);
    if (!*bodyRead) {
      if (answer) co_await sendEarlyError(request_.version(), *answer);
      break;
    }
    if (buffer_.data().data() != headAt) {
      // Reading the body grew the buffer and moved the head the request's views point into.
      (void)parseRequestHead(buffer_.data().substr(0, headSize_), request_);
    }
    conn_.deadline.expiresNever();

    Responder responder(conn_, request_.version(), request_.keep_alive());
    // The config in force now that the request is here: a keep-alive connection may have waited
    // for it across a reload. (The head and body were read under the limits of the older one.)
    const auto current = worker_.snapshot();
    co_await handleRequest(worker_, current, request_, conn_.socket, responder);
    buffer_.consume(headSize_ + bodyBytes_);
    bodyBytes_ = 0;
    if (!responder.keepAlive()) break;
  }
  conn_.socket.shutdown(TcpSocket::shutdown_send, ignored);
  conn_.socket.close(ignored);
}

}  // namespace

Task<void> runHttpSession(Worker& worker, TcpSocket socket) {
  Session session(worker, std::move(socket));
  co_await session.run();
}

}  // namespace switchyard
