#pragma once
// AWS event-stream binary framing (application/vnd.amazon.eventstream), which Bedrock's
// ConverseStream answers with. Each message: total length, headers length, prelude CRC32,
// headers, payload, message CRC32 (all big-endian). The decoder takes bytes in any split.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace switchyard {

// CRC-32 (IEEE 802.3, the zlib one), continued from `crc`.
uint32_t crc32(std::string_view data, uint32_t crc = 0);

struct EventStreamMessage {
  // String-typed headers (type 7) by name; other header types are checked and skipped.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload;
  std::string_view header(std::string_view name) const;
};

class EventStreamDecoder {
 public:
  // Larger messages are refused: Bedrock's events are small, and the bound keeps a corrupt length
  // field from making us buffer without end.
  static constexpr uint32_t kMaxMessageBytes = 16 * 1024 * 1024;
  static constexpr uint32_t kMaxHeaderBytes = 128 * 1024;

  using Handler = std::function<Result<void>(const EventStreamMessage&)>;
  // Calls `onMessage` for each complete message. A framing or CRC error is final.
  Result<void> feed(std::string_view bytes, const Handler& onMessage);
  // Bytes of an incomplete message still buffered.
  size_t pending() const { return buffer_.size() - consumed_; }

 private:
  Result<void> decodeOne(std::string_view frame, EventStreamMessage& out) const;
  std::string buffer_;
  size_t consumed_ = 0;
  bool failed_ = false;
};

// One message with string headers, for tests and tools that produce event streams.
std::string encodeEventStreamMessage(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view payload);

}  // namespace switchyard
