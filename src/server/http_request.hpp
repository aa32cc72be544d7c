#pragma once
// An inbound HTTP/1.1 request as the gateway needs it, and the parser of its head. Header names
// and values are views into the session's read buffer, so parsing allocates nothing once the
// session's header table has grown to its usual size; Beast's generic parser stored every field
// in an allocated node, a measurable share of a proxied request's cost.
//
// Accessor names follow Beast's message (method(), target(), operator[]) so handlers read like
// they did when the request was a beast::http::request.

#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/http_fields.hpp"

namespace switchyard {

// The address of the client's end of the connection, as 16 bytes: IPv6, or IPv4 in its mapped
// form (::ffff:a.b.c.d). All zero when unknown. Behind a proxy, the proxy's.
struct PeerAddress {
  std::array<uint8_t, 16> bytes{};
};

class HttpRequest {
 public:
  boost::beast::http::verb method() const { return method_; }
  std::string_view method_string() const { return methodText_; }
  std::string_view target() const { return target_; }
  unsigned version() const { return version_; }  // 10 or 11
  bool keep_alive() const { return keepAlive_; }

  // The first value of a header (names compare case-insensitively), or "" when absent.
  std::string_view operator[](std::string_view name) const { return findHeader(headers_, name); }
  std::string_view operator[](boost::beast::http::field f) const {
    return (*this)[boost::beast::http::to_string(f)];
  }
  const std::vector<HttpHeader>& headers() const { return headers_; }

  // Body framing, from the head.
  std::optional<uint64_t> contentLength() const { return contentLength_; }
  bool chunked() const { return chunked_; }
  bool expectsContinue() const { return expectContinue_; }

  std::string& body() { return body_; }
  const std::string& body() const { return body_; }

  // The connection's peer: set once per connection by the session, kept across its requests.
  const PeerAddress& peer() const { return peer_; }
  void setPeer(const PeerAddress& peer) { peer_ = peer; }

 private:
  friend Result<void> parseRequestHead(std::string_view head, HttpRequest& out);

  boost::beast::http::verb method_ = boost::beast::http::verb::unknown;
  std::string_view methodText_;
  std::string_view target_;
  unsigned version_ = 11;
  bool keepAlive_ = true;
  std::optional<uint64_t> contentLength_;
  bool chunked_ = false;
  bool expectContinue_ = false;
  std::vector<HttpHeader> headers_;  // capacity reused across a session's requests
  std::string body_;                 // capacity reused too
  PeerAddress peer_;
};

// Parses a request line and header fields. `head` runs up to and including the blank line that
// ends the head ("\r\n\r\n"); `out` keeps views into it (its body is left as it is). Errors are
// 400s naming the fault.
Result<void> parseRequestHead(std::string_view head, HttpRequest& out);

}  // namespace switchyard
