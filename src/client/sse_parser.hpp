#pragma once
// Incremental Server-Sent Events parser (WHATWG rules): bytes in any split, events out.
// Used on upstream streams, so it must never trust the input: lines and events are bounded.

#include <string.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard {

struct SseEvent {
  std::string_view event;  // "" when the event had no `event:` field
  std::string_view data;   // data lines joined with '\n'
};

class SseParser {
 public:
  explicit SseParser(size_t maxEventBytes = 16 * 1024 * 1024) : maxEventBytes_(maxEventBytes) {}

  // Feeds bytes; calls onEvent(const SseEvent&) for each complete event. Returns false when an
  // event grew past the limit (the stream should be treated as broken).
  template <class OnEvent>
  bool feed(std::string_view bytes, OnEvent&& onEvent);

  // True when bytes of an unfinished event are buffered (a stream that ends here was cut).
  bool hasPartialEvent() const { return !line_.empty() || !data_.empty() || dataSeen_; }

 private:
  // Where the line that starts at `from` ends: its first CR or LF, or npos. Two vectorized scans;
  // find_first_of("\r\n") calls memchr on the two-byte set once per byte of the line.
  static size_t lineEnd(std::string_view bytes, size_t from) {
    const char* begin = bytes.data() + from;
    const size_t n = bytes.size() - from;
    const auto* lf = static_cast<const char*>(memchr(begin, '\n', n));
    const size_t scan = lf != nullptr ? static_cast<size_t>(lf - begin) : n;
    const auto* cr = static_cast<const char*>(memchr(begin, '\r', scan));
    if (cr != nullptr) return from + static_cast<size_t>(cr - begin);
    return lf != nullptr ? from + scan : std::string_view::npos;
  }
  // Processes one complete line; returns true when it ended an event (blank line).
  bool processLine(std::string_view line);
  void resetEvent();

  size_t maxEventBytes_;
  std::string line_;   // the current, unfinished line
  std::string data_;   // data of the current event
  std::string event_;  // event name of the current event
  bool dataSeen_ = false;
  bool skipLf_ = false;  // a CR ended the last line; a following LF belongs to it
};

template <class OnEvent>
bool SseParser::feed(std::string_view bytes, OnEvent&& onEvent) {
  size_t i = 0;
  while (i < bytes.size()) {
    if (skipLf_) {
      skipLf_ = false;
      if (bytes[i] == '\n') {
        ++i;
        continue;
      }
    }
    const size_t end = lineEnd(bytes, i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      return line_.size() + data_.size() <= maxEventBytes_;
    }
    std::string_view line = bytes.substr(i, end - i);
    if (!line_.empty()) {
      line_.append(line);
      line = line_;
    }
    skipLf_ = bytes[end] == '\r';
    i = end + 1;
    const bool dispatch = processLine(line);
    line_.clear();
    if (data_.size() > maxEventBytes_) return false;
    if (dispatch) {
      if (dataSeen_) onEvent(SseEvent{event_, data_});
      resetEvent();
    }
  }
  return true;
}

}  // namespace switchyard
