#pragma once
// The head of an upstream's HTTP/1.1 answer: status, the headers the gateway reads, and how the
// body is framed. Parsed by hand for the same reason as inbound requests (server/http_request):
// a generic parser's per-field allocations were a visible share of each proxied request.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/http_fields.hpp"

namespace switchyard {

enum class BodyFraming {
  kNone,        // 1xx, 204, 304: no body
  kLength,      // Content-Length bytes
  kChunked,     // Transfer-Encoding: chunked
  kUntilClose,  // neither: the body ends when the upstream closes the connection
};

struct ResponseHead {
  int status = 0;
  BodyFraming framing = BodyFraming::kNone;
  uint64_t contentLength = 0;       // kLength
  bool keepAlive = false;           // the connection may carry another request afterwards
  std::vector<HttpHeader> headers;  // views into the parsed text

  std::string_view operator[](std::string_view name) const { return findHeader(headers, name); }
};

// Parses a status line and header fields; `head` runs up to and including the blank line.
// Errors describe the fault for a "malformed answer" message.
Result<void> parseResponseHead(std::string_view head, ResponseHead& out);

}  // namespace switchyard
