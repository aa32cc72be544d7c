#pragma once
// A multipart/form-data body (RFC 7578) read in place: the parts are views into the body, so
// a file upload is never copied. The gateway reads only what routes and prices a request (the
// model, n, the file's length) and forwards the body's bytes as they came.

#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace switchyard {

struct FormPart {
  std::string_view name;         // Content-Disposition's name
  std::string_view filename;     // its filename; empty for a plain field
  bool hasFilename = false;      // a file part (filename="" still is one)
  std::string_view contentType;  // the part's own Content-Type, if any
  std::string_view value;        // the part's content, a view into the body
  size_t valueOffset = 0;        // where `value` begins in the body
};

// The boundary of a "multipart/form-data; boundary=..." Content-Type (quoted or not). A 400
// naming the fault for another type or a missing or malformed boundary.
Result<std::string_view> formBoundary(std::string_view contentType);

// The parts of `body`, in order. A 400 naming the fault for a body that is not well framed
// (no opening or closing delimiter, a part without a name or without its blank line).
Result<std::vector<FormPart>> parseForm(std::string_view body, std::string_view boundary);

}  // namespace switchyard
