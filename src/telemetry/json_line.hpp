#pragma once
// Appends a flat JSON object field by field into a reused buffer: the access log writes one
// object per request, and building a DOM for each would cost more than the request itself. Each
// field is written through a raw cursor after one comparison; the buffer learns the object's end
// at end() (see TextBuffer).

#include <cstdint>
#include <string>
#include <string_view>

#include "telemetry/text_buffer.hpp"

namespace switchyard {

// A finite number in its shortest exact form; NaN and infinities (not JSON) as null.
void appendJsonNumber(std::string& out, double value);

class JsonLine {
 public:
  explicit JsonLine(TextBuffer& out) : out_(out) {
    room(1);
    *p_++ = '{';
  }
  // Closes the object and commits it to the buffer.
  void end() {
    room(1);
    *p_++ = '}';
    out_.commit(p_);
  }

  JsonLine& str(std::string_view key, std::string_view value) {
    char* p = this->key(key, 2 + kMaxJsonEscapedGrowth * value.size());
    *p++ = '"';
    p = putJsonEscaped(p, value);
    *p++ = '"';
    p_ = p;
    return *this;
  }
  // A string value this process made, with nothing to escape (a timestamp, a route): copied.
  JsonLine& plain(std::string_view key, std::string_view value) {
    char* p = this->key(key, 2 + value.size());
    *p++ = '"';
    p = put(p, value);
    *p++ = '"';
    p_ = p;
    return *this;
  }
  // An id as a string of lower-case hex digits.
  JsonLine& hex(std::string_view key, const uint8_t* bytes, size_t n) {
    char* p = this->key(key, 2 + 2 * n);
    *p++ = '"';
    p = putHex(p, bytes, n);
    *p++ = '"';
    p_ = p;
    return *this;
  }
  JsonLine& num(std::string_view key, int64_t value) {
    p_ = putInt(this->key(key, 20), value);
    return *this;
  }
  JsonLine& num(std::string_view key, double value) {
    p_ = putJsonNumber(this->key(key, 24), value);
    return *this;
  }
  JsonLine& boolean(std::string_view key, bool value) {
    p_ = put(this->key(key, 5), value ? std::string_view("true") : "false");
    return *this;
  }
  JsonLine& null(std::string_view key) {
    p_ = put(this->key(key, 4), "null");
    return *this;
  }

 private:
  // Room is taken from the buffer in chunks: a line's fields then cost one comparison each.
  static constexpr size_t kChunk = 1024;

  // Makes room for `n` bytes at the cursor.
  void room(size_t n) {
    if (size_t(end_ - p_) >= n) return;
    if (p_ != nullptr) out_.commit(p_);
    p_ = out_.reserve(n + kChunk);
    end_ = p_ + n + kChunk;
  }
  // Writes `"key":` (keys are literals: nothing to escape) with room for `valueBytes` after it.
  char* key(std::string_view k, size_t valueBytes) {
    room(k.size() + 4 + valueBytes);
    char* p = p_;
    if (!first_) *p++ = ',';
    first_ = false;
    *p++ = '"';
    p = put(p, k);
    return put(p, "\":");
  }

  TextBuffer& out_;
  char* p_ = nullptr;  // the cursor: written, not yet committed, up to here
  char* end_ = nullptr;
  bool first_ = true;
};

}  // namespace switchyard
