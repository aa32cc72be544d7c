#include "telemetry/json_line.hpp"

#include "telemetry/text_buffer.hpp"

namespace switchyard {

void appendJsonEscaped(std::string& out, std::string_view text) {
  const size_t at = out.size();
  out.resize(at + kMaxJsonEscapedGrowth * text.size());
  out.resize(size_t(putJsonEscaped(out.data() + at, text) - out.data()));
}

void appendJsonNumber(std::string& out, double value) {
  char buf[32];
  out.append(buf, putJsonNumber(buf, value));
}

}  // namespace switchyard
