#include "client/sse_parser.hpp"

namespace switchyard {

bool SseParser::processLine(std::string_view line) {
  if (line.empty()) return true;
  if (line.front() == ':') return false;  // comment, e.g. keep-alive pings
  std::string_view field = line;
  std::string_view value;
  if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (dataSeen_) data_.push_back('\n');
    data_.append(value);
    dataSeen_ = true;
  } else if (field == "event") {
    event_.assign(value);
  }
  // `id` and `retry` matter only to browsers reconnecting; a proxy has no use for them.
  return false;
}

void SseParser::resetEvent() {
  data_.clear();
  event_.clear();
  dataSeen_ = false;
}

}  // namespace switchyard
