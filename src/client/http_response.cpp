#include "client/http_response.hpp"

#include <charconv>

namespace switchyard {

namespace {

Error malformed(std::string_view what) {
  return Error::make(ErrorClass::kBadUpstream, std::string(what), {}, "bad_upstream_response");
}

}  // namespace

Result<void> parseResponseHead(std::string_view head, ResponseHead& out) {
  // Status line: HTTP/1.x SP 3DIGIT SP reason CRLF (the reason may be empty).
  const size_t lineEnd = head.find("\r\n");
  if (lineEnd == std::string_view::npos) return malformed("no status line");
  const std::string_view line = head.substr(0, lineEnd);
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[8] != ' ' ||
      (line.size() > 12 && line[12] != ' ')) {
    return malformed("bad status line");
  }
  const bool http11 = line[7] == '1';
  if (!http11 && line[7] != '0') return malformed("unsupported HTTP version");
  int status = 0;
  auto [p, ec] = std::from_chars(line.data() + 9, line.data() + 12, status);
  if (ec != std::errc() || p != line.data() + 12 || status < 100 || status > 999) {
    return malformed("bad status code");
  }
  out.status = status;

  auto framing = parseHeaderFields(head.substr(lineEnd + 2), out.headers);
  if (!framing) return malformed(framing.error().message);
  out.keepAlive = http11 ? !framing->connectionClose
                         : framing->connectionKeepAlive && !framing->connectionClose;
  if ((status >= 100 && status < 200) || status == 204 || status == 304) {
    out.framing = BodyFraming::kNone;
  } else if (framing->chunked) {
    out.framing = BodyFraming::kChunked;
  } else if (framing->contentLength) {
    out.framing = BodyFraming::kLength;
    out.contentLength = *framing->contentLength;
  } else {
    out.framing = BodyFraming::kUntilClose;
    out.keepAlive = false;
  }
  return {};
}

}  // namespace switchyard
