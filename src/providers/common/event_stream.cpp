#include "providers/common/event_stream.hpp"

#include <array>

namespace switchyard {

namespace {

constexpr std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

constexpr auto kCrcTable = makeCrcTable();

uint32_t readBe32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

uint16_t readBe16(std::string_view s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) << 8 |
                               static_cast<unsigned char>(s[at + 1]));
}

void appendBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

Error framingError(std::string what) {
  return Error::make(ErrorClass::kBadUpstream,
                     "The upstream sent a malformed event stream: " + what, {},
                     "bad_upstream_response");
}

// Value sizes of the fixed-size header types (0/1 booleans carry no value); -1: length-prefixed.
int fixedSize(uint8_t type) {
  switch (type) {
    case 0:
    case 1:
      return 0;
    case 2:
      return 1;
    case 3:
      return 2;
    case 4:
      return 4;
    case 5:
    case 8:
      return 8;
    case 9:
      return 16;
    case 6:
    case 7:
      return -1;
    default:
      return -2;
  }
}

}  // namespace

uint32_t crc32(std::string_view data, uint32_t crc) {
  crc = ~crc;
  for (unsigned char c : data) crc = kCrcTable[(crc ^ c) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string_view EventStreamMessage::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

Result<void> EventStreamDecoder::decodeOne(std::string_view frame, EventStreamMessage& out) const {
  const uint32_t headersLength = readBe32(frame, 4);
  std::string_view headers = frame.substr(12, headersLength);
  size_t at = 0;
  while (at < headers.size()) {
    const size_t nameLength = static_cast<unsigned char>(headers[at]);
    if (nameLength == 0 || at + 1 + nameLength + 1 > headers.size()) {
      return framingError("bad header name");
    }
    std::string_view name = headers.substr(at + 1, nameLength);
    at += 1 + nameLength;
    const uint8_t type = static_cast<uint8_t>(headers[at]);
    at += 1;
    const int size = fixedSize(type);
    if (size == -2) return framingError("unknown header type " + std::to_string(type));
    if (size >= 0) {
      if (at + static_cast<size_t>(size) > headers.size()) return framingError("truncated header");
      at += static_cast<size_t>(size);
      continue;
    }
    if (at + 2 > headers.size()) return framingError("truncated header");
    const size_t valueLength = readBe16(headers, at);
    at += 2;
    if (at + valueLength > headers.size()) return framingError("truncated header value");
    if (type == 7) out.headers.emplace_back(name, headers.substr(at, valueLength));
    at += valueLength;
  }
  const size_t payloadStart = 12 + headersLength;
  out.payload = std::string(frame.substr(payloadStart, frame.size() - 4 - payloadStart));
  return {};
}

Result<void> EventStreamDecoder::feed(std::string_view bytes, const Handler& onMessage) {
  if (failed_) return framingError("the stream already failed");
  buffer_.append(bytes);
  while (buffer_.size() - consumed_ >= 12) {
    std::string_view rest = std::string_view(buffer_).substr(consumed_);
    const uint32_t total = readBe32(rest, 0);
    const uint32_t headersLength = readBe32(rest, 4);
    if (crc32(rest.substr(0, 8)) != readBe32(rest, 8)) {
      failed_ = true;
      return framingError("prelude CRC mismatch");
    }
    if (total < 16 || total > kMaxMessageBytes || headersLength > kMaxHeaderBytes ||
        headersLength > total - 16) {
      failed_ = true;
      return framingError("bad message length");
    }
    if (rest.size() < total) break;
    std::string_view frame = rest.substr(0, total);
    if (crc32(frame.substr(0, total - 4)) != readBe32(frame, total - 4)) {
      failed_ = true;
      return framingError("message CRC mismatch");
    }
    EventStreamMessage message;
    if (auto decoded = decodeOne(frame, message); !decoded) {
      failed_ = true;
      return decoded;
    }
    consumed_ += total;
    if (auto handled = onMessage(message); !handled) {
      failed_ = true;
      return handled;
    }
  }
  // Compact once the consumed prefix dominates, so long streams do not grow the buffer.
  if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return {};
}

std::string encodeEventStreamMessage(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view payload) {
  std::string h;
  for (const auto& [name, value] : headers) {
    h.push_back(static_cast<char>(name.size()));
    h += name;
    h.push_back(7);
    h.push_back(static_cast<char>((value.size() >> 8) & 0xFF));
    h.push_back(static_cast<char>(value.size() & 0xFF));
    h += value;
  }
  const uint32_t total = static_cast<uint32_t>(16 + h.size() + payload.size());
  std::string out;
  out.reserve(total);
  appendBe32(out, total);
  appendBe32(out, static_cast<uint32_t>(h.size()));
  appendBe32(out, crc32(out));
  out += h;
  out.append(payload);
  appendBe32(out, crc32(out));
  return out;
}

}  // namespace switchyard
