#include "api/openai/multipart_form.hpp"

#include <string>

#include "core/http_fields.hpp"
#include "core/text.hpp"

namespace switchyard {

namespace {

Error badForm(std::string detail) {
  return Error::make(ErrorClass::kBadRequest, "Malformed multipart/form-data body: " + detail, {},
                     "invalid_multipart");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equalsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// The value of parameter `key` in a header's "; key=value" list (quoted or a token), or
// nullopt. Quoted values keep backslash escapes as they are: form field names never need them.
std::optional<std::string_view> parameter(std::string_view header, std::string_view key) {
  size_t at = header.find(';');
  while (at != std::string_view::npos) {
    std::string_view rest = trim(header.substr(at + 1));
    const size_t eq = rest.find('=');
    const size_t semi = rest.find(';');
    if (eq != std::string_view::npos && (semi == std::string_view::npos || eq < semi)) {
      const std::string_view name = trim(rest.substr(0, eq));
      std::string_view value = rest.substr(eq + 1);
      size_t end;
      if (!value.empty() && value.front() == '"') {
        end = value.find('"', 1);
        if (end == std::string_view::npos) return std::nullopt;
        if (equalsIgnoreCase(name, key)) return value.substr(1, end - 1);
        end = value.find(';', end);
      } else {
        end = value.find(';');
        if (equalsIgnoreCase(name, key)) return trim(value.substr(0, end));
      }
      if (end == std::string_view::npos) return std::nullopt;
      at = static_cast<size_t>(value.data() + end - header.data());
    } else {
      at = semi == std::string_view::npos ? std::string_view::npos
                                          : static_cast<size_t>(rest.data() + semi - header.data());
    }
  }
  return std::nullopt;
}

// Reads the headers of one part (up to its blank line) into `part`; returns where its content
// begins, or an error.
Result<size_t> readPartHeaders(std::string_view body, size_t at, FormPart& part) {
  bool disposition = false;
  while (true) {
    const size_t eol = body.find("\r\n", at);
    if (eol == std::string_view::npos) return badForm("a part's headers do not end.");
    const std::string_view line = body.substr(at, eol - at);
    at = eol + 2;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return badForm("a part has a header without a colon.");
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (equalsIgnoreCase(name, "content-disposition")) {
      if (!startsWithIgnoreCase(value, "form-data")) {
        return badForm("a part's Content-Disposition is not form-data.");
      }
      disposition = true;
      part.name = parameter(value, "name").value_or(std::string_view());
      if (auto f = parameter(value, "filename")) {
        part.filename = *f;
        part.hasFilename = true;
      }
    } else if (equalsIgnoreCase(name, "content-type")) {
      part.contentType = value;
    }
  }
  if (!disposition || part.name.empty()) {
    return badForm("a part has no Content-Disposition name.");
  }
  return at;
}

}  // namespace

Result<std::string_view> formBoundary(std::string_view contentType) {
  if (!startsWithIgnoreCase(trim(contentType), "multipart/form-data")) {
    return Error::make(ErrorClass::kBadRequest,
                       "This endpoint takes a multipart/form-data body (a file upload), not " +
                           (contentType.empty() ? std::string("a body without a Content-Type")
                                                : "'" + std::string(contentType) + "'") +
                           ".",
                       {}, "invalid_content_type");
  }
  auto boundary = parameter(contentType, "boundary");
  // RFC 2046: 1 to 70 characters, and none that would end a header line.
  if (!boundary || boundary->empty() || boundary->size() > 70 ||
      boundary->find_first_of("\r\n") != std::string_view::npos) {
    return badForm("its Content-Type has no valid boundary.");
  }
  return *boundary;
}

Result<std::vector<FormPart>> parseForm(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "\r\n--" + std::string(boundary);
  // The first delimiter may open the body (no preamble, no CRLF before it).
  size_t at;
  if (body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2)) {
    at = delimiter.size() - 2;
  } else {
    const size_t first = body.find(delimiter);
    if (first == std::string_view::npos) return badForm("its boundary never occurs.");
    at = first + delimiter.size();
  }
  std::vector<FormPart> parts;
  while (true) {
    if (body.substr(at, 2) == "--") return parts;  // the closing delimiter
    // Transport padding (RFC 2046) may follow a delimiter before its line ends.
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != "\r\n") return badForm("a boundary line does not end.");
    FormPart part;
    auto content = readPartHeaders(body, at + 2, part);
    if (!content) return content.error();
    const size_t end = body.find(delimiter, *content);
    if (end == std::string_view::npos) return badForm("it has no closing boundary.");
    part.value = body.substr(*content, end - *content);
    part.valueOffset = *content;
    parts.push_back(part);
    at = end + delimiter.size();
  }
}

}  // namespace switchyard
