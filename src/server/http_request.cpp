#include "server/http_request.hpp"

namespace switchyard {

namespace http = boost::beast::http;

namespace {

http::verb verbOf(std::string_view m) {
  // The methods the gateway routes; others are unknown (and answered 404/405 by the router).
  if (m == "POST") return http::verb::post;
  if (m == "GET") return http::verb::get;
  if (m == "HEAD") return http::verb::head;
  if (m == "PUT") return http::verb::put;
  if (m == "DELETE") return http::verb::delete_;
  if (m == "PATCH") return http::verb::patch;
  if (m == "OPTIONS") return http::verb::options;
  return http::verb::unknown;
}

bool isMethodName(std::string_view m) {
  if (m.empty()) return false;
  for (char c : m) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

Error badRequest(std::string_view message) {
  return Error::make(ErrorClass::kBadRequest, "Malformed HTTP request: " + std::string(message), {},
                     "bad_http");
}

}  // namespace

Result<void> parseRequestHead(std::string_view head, HttpRequest& out) {
  // Request line: METHOD SP target SP HTTP/1.x CRLF
  const size_t lineEnd = head.find("\r\n");
  if (lineEnd == std::string_view::npos) return badRequest("no request line");
  const std::string_view line = head.substr(0, lineEnd);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return badRequest("bad request line");
  out.methodText_ = line.substr(0, sp1);
  out.target_ = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!isMethodName(out.methodText_)) return badRequest("bad method");
  if (out.target_.empty()) return badRequest("empty target");
  for (char c : out.target_) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return badRequest("bad target");
  }
  if (version == "HTTP/1.1") {
    out.version_ = 11;
  } else if (version == "HTTP/1.0") {
    out.version_ = 10;
  } else {
    return badRequest("unsupported HTTP version");
  }
  out.method_ = verbOf(out.methodText_);

  auto framing = parseHeaderFields(head.substr(lineEnd + 2), out.headers_);
  if (!framing) return badRequest(framing.error().message);
  out.contentLength_ = framing->contentLength;
  out.chunked_ = framing->chunked;
  out.expectContinue_ = equalsIgnoreCase(findHeader(out.headers_, "expect"), "100-continue");
  out.keepAlive_ = out.version_ >= 11 ? !framing->connectionClose
                                      : (framing->connectionKeepAlive && !framing->connectionClose);
  return {};
}

}  // namespace switchyard
