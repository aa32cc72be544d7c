#pragma once
// Writes one response to the client: a whole JSON body, or an SSE stream chunk by chunk.

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "api/request.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "core/http_fields.hpp"
#include "server/client_connection.hpp"

namespace switchyard {

class Responder {
 public:
  Responder(ClientConnection& conn, unsigned httpVersion, bool keepAlive)
      : conn_(conn),
        version_(httpVersion),
        keepAlive_(keepAlive),
        extraHeaders_(conn.responseHeaders) {
    extraHeaders_.clear();
  }

  // Values are written as given minus CR and LF, so no value can split the header block.
  void addHeader(std::string_view name, std::string_view value);
  void addHeaders(std::initializer_list<HttpHeader> headers);
  void setKeepAlive(bool on) { keepAlive_ = keepAlive_ && on; }

  // Each returns false when the client can no longer be written to.
  //
  // GCC 12 destroys some temporaries twice when they appear inside a co_await expression, so
  // these take references and callers pass named objects, never temporaries.
  Task<bool> send(int status, std::string&& body,
                  std::string_view contentType = "application/json");
  // The same in two steps, for the request path's usual case: sendNow() writes what the socket
  // takes at once and says whether the response is settled. Only when it is not does the caller
  // co_await sendRest(): a coroutine frame only when there is waiting to do.
  bool sendNow(int status, std::string&& body, std::string_view contentType = "application/json");
  Task<bool> sendRest();
  Task<bool> sendError(const Error& error, InboundFormat format);
  // A stream in another type than server-sent events (audio bytes); the view must outlive it.
  void setStreamContentType(std::string_view contentType) { streamContentType_ = contentType; }
  Task<bool> beginStream();
  Task<bool> streamData(std::string_view data);
  Task<bool> endStream();

  bool started() const { return started_; }
  bool keepAlive() const { return keepAlive_; }
  int status() const { return status_; }

 private:
  static constexpr std::chrono::seconds kWriteTimeout{60};

  // Status line and headers, serialized by hand into the connection's head buffer: Beast's
  // generic serializer costs several microseconds per response, a large share of a proxy's budget.
  std::string& head(int status, std::string_view contentType, bool chunked);

  // Writes what writeNow could not, within the write timeout.
  template <size_t N>
  Task<bool> writeRest(std::array<boost::asio::const_buffer, N> buffers);

  ClientConnection& conn_;
  unsigned version_;
  bool keepAlive_;
  bool started_ = false;
  bool chunked_ = false;
  int status_ = 0;
  std::string& extraHeaders_;  // "name: value\r\n" lines added by handlers
  std::string body_;           // what sendNow() sends, until it is all written
  std::array<boost::asio::const_buffer, 2> unsent_;
  bool delivered_ = false;
  std::string_view streamContentType_ = "text/event-stream";
};

}  // namespace switchyard
