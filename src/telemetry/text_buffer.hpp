#pragma once
// An append-only byte buffer written through a raw cursor: the writer reserves the most a piece
// can take, stores bytes with the put* helpers, and commits the new end. Encoders that write
// thousands of small pieces (the OTLP JSON of a span batch) pay one capacity check per piece
// group instead of one per append, and no zero-filling.

#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "core/json_escape.hpp"  // putJsonEscaped, for the writers of this buffer

namespace switchyard {

class TextBuffer {
 public:
  // The end of the text, with at least `n` writable bytes after it.
  char* reserve(size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  // `end` is past the last byte written since reserve().
  void commit(char* end) { size_ = size_t(end - data_.get()); }
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  // The text written so far, for patching a length in place (valid until the next reserve).
  char* data() { return data_.get(); }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  void grow(size_t n);

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

inline char* put(char* p, std::string_view text) {
  if (text.empty()) return p;  // its data may be null, which memcpy must not be given
  std::memcpy(p, text.data(), text.size());
  return p + text.size();
}

// Decimal digits of `v`: at most 20 bytes. Numbers of nine digits or more (the OTLP JSON's Unix
// nanoseconds, two per span) take another path: eight digits at a time.
char* putLongInt(char* p, int64_t v);
inline char* putInt(char* p, int64_t v) {
  if (v >= 0 && v < 100'000'000) return std::to_chars(p, p + 8, v).ptr;
  return putLongInt(p, v);
}

// Lower-case hex of `n` bytes: 2n bytes written.
char* putHex(char* p, const uint8_t* bytes, size_t n);

// A finite number in its shortest exact form; NaN and infinities (not JSON) as null. At most 24
// bytes.
char* putJsonNumber(char* p, double value);

}  // namespace switchyard
