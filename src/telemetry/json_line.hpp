#pragma once
// Appends a flat JSON object field by field into a reused buffer: the access log writes one
// object per request, and building a DOM for each would cost more than the request itself. Each
// field is written through a raw cursor after one comparison; the buffer learns the object's end
// at end() (see TextBuffer).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "telemetry/text_buffer.hpp"

namespace switchyard {

// A finite number in its shortest exact form; NaN and infinities (not JSON) as null.
void appendJsonNumber(std::string& out, double value);

// A field name as it is written after the field before it: `,"name":`, made at compile time so
// that writing it is a few fixed-size stores. Names are literals with nothing to escape.
template <size_t N>
struct JsonKey {
  consteval JsonKey(const char (&name)[N]) {  // NOLINT: implicit, for line.str<"name">(...)
    text[0] = ',';
    text[1] = '"';
    for (size_t i = 0; i + 1 < N; ++i) text[2 + i] = name[i];
    text[N + 1] = '"';
    text[N + 2] = ':';
  }
  static constexpr size_t kSize = N + 3;  // N counts the literal's terminating NUL
  std::string_view view() const { return {text, kSize}; }
  char text[kSize];
};

// Usage: JsonLine line(buffer); line.str<"model">(name).num<"status">(200); line.end();
class JsonLine {
 public:
  explicit JsonLine(TextBuffer& out) : out_(out), start_(out.size()) {}
  // Closes the object and commits it to the buffer. Every field was written with a comma before
  // it: the first one's becomes the opening brace.
  void end() {
    if (p_ == nullptr) {
      out_.commit(put(out_.reserve(2), "{}"));
      return;
    }
    room(1);
    *p_++ = '}';
    out_.commit(p_);
    out_.data()[start_] = '{';
  }

  template <JsonKey K>
  JsonLine& str(std::string_view value) {
    char* p = key<K>(2 + kMaxJsonEscapedGrowth * value.size());
    *p++ = '"';
    p = putJsonEscaped(p, value);
    *p++ = '"';
    p_ = p;
    return *this;
  }
  // A string value this process made, with nothing to escape (a timestamp, a route): copied.
  template <JsonKey K>
  JsonLine& plain(std::string_view value) {
    char* p = key<K>(2 + value.size());
    *p++ = '"';
    p = put(p, value);
    *p++ = '"';
    p_ = p;
    return *this;
  }
  // An id as a string of lower-case hex digits.
  template <JsonKey K>
  JsonLine& hex(const uint8_t* bytes, size_t n) {
    char* p = key<K>(2 + 2 * n);
    *p++ = '"';
    p = putHex(p, bytes, n);
    *p++ = '"';
    p_ = p;
    return *this;
  }
  template <JsonKey K>
  JsonLine& num(int64_t value) {
    p_ = putInt(key<K>(20), value);
    return *this;
  }
  template <JsonKey K>
  JsonLine& num(double value) {
    p_ = putJsonNumber(key<K>(24), value);
    return *this;
  }
  template <JsonKey K>
  JsonLine& boolean(bool value) {
    p_ = put(key<K>(5), value ? std::string_view("true") : "false");
    return *this;
  }
  // A value that is JSON already (an array the caller wrote): copied as it is.
  template <JsonKey K>
  JsonLine& raw(std::string_view json) {
    p_ = put(key<K>(json.size()), json);
    return *this;
  }
  template <JsonKey K>
  JsonLine& null() {
    p_ = put(key<K>(4), "null");
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
  // Writes `,"key":` with room for `valueBytes` after it.
  template <JsonKey K>
  char* key(size_t valueBytes) {
    room(K.kSize + valueBytes);
    return put(p_, K.view());
  }

  TextBuffer& out_;
  const size_t start_;  // where the line starts in the buffer
  char* p_ = nullptr;   // the cursor: written, not yet committed, up to here
  char* end_ = nullptr;
};

}  // namespace switchyard
