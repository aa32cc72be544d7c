#include "telemetry/json_line.hpp"

#include "telemetry/text_buffer.hpp"

namespace switchyard {

void appendJsonNumber(std::string& out, double value) {
  char buf[32];
  out.append(buf, putJsonNumber(buf, value));
}

}  // namespace switchyard
