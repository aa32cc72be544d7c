#pragma once
// Appends a flat JSON object field by field into a reused buffer: the access log and the OTLP
// encoder write many small objects, and building a DOM for each would cost more than the
// request itself.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard {

// The text as a JSON string body (no quotes): quote, backslash and control characters escaped.
void appendJsonEscaped(std::string& out, std::string_view text);
// A finite number in its shortest exact form; NaN and infinities (not JSON) as null.
void appendJsonNumber(std::string& out, double value);

class JsonLine {
 public:
  explicit JsonLine(std::string& out) : out_(out) { out_.push_back('{'); }
  void end() { out_.push_back('}'); }

  JsonLine& str(std::string_view key, std::string_view value) {
    this->key(key);
    out_.push_back('"');
    appendJsonEscaped(out_, value);
    out_.push_back('"');
    return *this;
  }
  JsonLine& num(std::string_view key, int64_t value) {
    this->key(key);
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, end);
    return *this;
  }
  JsonLine& num(std::string_view key, double value) {
    this->key(key);
    appendJsonNumber(out_, value);
    return *this;
  }
  JsonLine& boolean(std::string_view key, bool value) {
    this->key(key);
    out_.append(value ? "true" : "false");
    return *this;
  }
  JsonLine& null(std::string_view key) {
    this->key(key);
    out_.append("null");
    return *this;
  }
  // A value written by the caller right after (an object or array).
  JsonLine& raw(std::string_view key) {
    this->key(key);
    return *this;
  }

 private:
  void key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(k);  // keys are literals: nothing to escape
    out_.append("\":");
  }

  std::string& out_;
  bool first_ = true;
};

}  // namespace switchyard
