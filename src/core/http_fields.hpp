#pragma once
// HTTP/1.1 header-block parsing shared by the inbound request parser and the upstream response
// parser: field syntax, case-insensitive names, list-valued fields, and the framing fields
// (Content-Length, Transfer-Encoding, Connection) both sides interpret the same way.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace switchyard {

struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

// What the framing fields of a header block say.
struct HttpFraming {
  std::optional<uint64_t> contentLength;
  bool chunked = false;
  bool connectionClose = false;
  bool connectionKeepAlive = false;
};

// Parses header lines up to and including the blank line that ends `block` (which starts after
// the request or status line). Views in `headers` point into `block`. Errors name the fault;
// the caller picks the status and the wording for its side.
Result<HttpFraming> parseHeaderFields(std::string_view block, std::vector<HttpHeader>& headers);

// Case-insensitive ASCII comparison, for header names and tokens. The sizes are compared inline:
// most comparisons of header names end there.
bool equalsIgnoreCaseSameSize(const char* a, const char* b, size_t n);
inline bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && equalsIgnoreCaseSameSize(a.data(), b.data(), a.size());
}

// Appends "name: value\r\n". CR and LF are dropped from the value (values come from clients and
// configuration), so that no value can end the header block early.
void appendHeaderLine(std::string& out, std::string_view name, std::string_view value);
// The same for several lines, with one size change for all of them.
void appendHeaderLines(std::string& out, std::initializer_list<HttpHeader> lines);

// The first value of the named header, or "" when absent.
std::string_view findHeader(const std::vector<HttpHeader>& headers, std::string_view name);

}  // namespace switchyard
