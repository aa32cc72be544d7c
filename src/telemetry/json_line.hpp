#pragma once
// Appends a flat JSON object field by field into a reused buffer: the access log writes one
// object per request, and building a DOM for each would cost more than the request itself. Each
// field is written through a raw cursor after one capacity check (see TextBuffer).

#include <cstdint>
#include <string>
#include <string_view>

#include "telemetry/text_buffer.hpp"

namespace switchyard {

// A finite number in its shortest exact form; NaN and infinities (not JSON) as null.
void appendJsonNumber(std::string& out, double value);

class JsonLine {
 public:
  explicit JsonLine(TextBuffer& out) : out_(out) { out_.commit(put(out_.reserve(1), "{")); }
  void end() { out_.commit(put(out_.reserve(1), "}")); }

  JsonLine& str(std::string_view key, std::string_view value) {
    char* p = this->key(key, 2 + kMaxJsonEscapedGrowth * value.size());
    *p++ = '"';
    p = putJsonEscaped(p, value);
    *p++ = '"';
    out_.commit(p);
    return *this;
  }
  JsonLine& num(std::string_view key, int64_t value) {
    out_.commit(putInt(this->key(key, 20), value));
    return *this;
  }
  JsonLine& num(std::string_view key, double value) {
    out_.commit(putJsonNumber(this->key(key, 24), value));
    return *this;
  }
  JsonLine& boolean(std::string_view key, bool value) {
    out_.commit(put(this->key(key, 5), value ? std::string_view("true") : "false"));
    return *this;
  }
  JsonLine& null(std::string_view key) {
    out_.commit(put(this->key(key, 4), "null"));
    return *this;
  }

 private:
  // Writes `"key":` (keys are literals: nothing to escape) with room for `valueBytes` after it.
  char* key(std::string_view k, size_t valueBytes) {
    char* p = out_.reserve(k.size() + 4 + valueBytes);
    if (!first_) *p++ = ',';
    first_ = false;
    *p++ = '"';
    p = put(p, k);
    return put(p, "\":");
  }

  TextBuffer& out_;
  bool first_ = true;
};

}  // namespace switchyard
