#include "tools/mock-provider/mock_form.hpp"

#include <boost/beast/core/string.hpp>

#include <cstdint>
#include <string>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

// The value of `key="..."` or `key=token` in a header line.
std::optional<std::string_view> param(std::string_view header, std::string_view key) {
  const std::string needle = std::string(key) + "=";
  size_t at = 0;
  while ((at = header.find(needle, at)) != std::string_view::npos) {
    const bool startsWord = at == 0 || header[at - 1] == ' ' || header[at - 1] == ';';
    at += needle.size();
    if (!startsWord) continue;
    if (at < header.size() && header[at] == '"') {
      const size_t end = header.find('"', at + 1);
      if (end == std::string_view::npos) return std::nullopt;
      return header.substr(at + 1, end - at - 1);
    }
    const size_t end = header.find(';', at);
    return header.substr(at, end == std::string_view::npos ? end : end - at);
  }
  return std::nullopt;
}

uint32_t le32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | uint8_t(s[at + size_t(i)]);
  return v;
}

// Seconds of a WAV file's data at its byte rate; 0 for anything else.
double wavSeconds(std::string_view f) {
  if (f.size() < 44 || f.substr(0, 4) != "RIFF" || f.substr(8, 4) != "WAVE") return 0;
  uint32_t rate = 0;
  for (size_t at = 12; at + 8 <= f.size();) {
    const uint32_t size = le32(f, at + 4);
    if (f.substr(at, 4) == "fmt " && at + 20 <= f.size()) rate = le32(f, at + 16);
    if (f.substr(at, 4) == "data") {
      return rate ? double(std::min<size_t>(size, f.size() - at - 8)) / rate : 0;
    }
    at += 8 + size + (size & 1);
  }
  return 0;
}

}  // namespace

std::optional<json::object> parseFormBody(std::string_view contentType, std::string_view body) {
  if (!boost::beast::iequals(contentType.substr(0, 19), "multipart/form-data")) return std::nullopt;
  auto boundary = param(contentType, "boundary");
  if (!boundary || boundary->empty()) return std::nullopt;
  const std::string delimiter = "--" + std::string(*boundary);
  size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  json::object form;
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return form;
    if (body.substr(at, 2) != "\r\n") return std::nullopt;
    const size_t headEnd = body.find("\r\n\r\n", at);
    if (headEnd == std::string_view::npos) return std::nullopt;
    const std::string_view head = body.substr(at, headEnd - at);
    const size_t contentAt = headEnd + 4;
    const size_t end = body.find("\r\n" + delimiter, contentAt);
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view value = body.substr(contentAt, end - contentAt);
    auto name = param(head, "name");
    if (!name) return std::nullopt;
    if (auto filename = param(head, "filename")) {
      std::string type;
      if (size_t ct = head.find("Content-Type:"); ct != std::string_view::npos) {
        const size_t eol = head.find("\r\n", ct);
        type =
            std::string(head.substr(ct + 13, eol == std::string_view::npos ? eol : eol - ct - 13));
        while (!type.empty() && type.front() == ' ') type.erase(0, 1);
      }
      form[*name] = json::object{{"filename", *filename},
                                 {"content_type", type},
                                 {"bytes", value.size()},
                                 {"wav_seconds", wavSeconds(value)}};
    } else {
      form[*name] = value;
    }
    at = end + 2;
  }
}

}  // namespace switchyard::mock
