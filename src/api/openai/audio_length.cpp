#include "api/openai/audio_length.hpp"

#include <cstdint>

namespace switchyard {

namespace {

uint32_t le32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

}  // namespace

std::optional<double> wavSeconds(std::string_view file) {
  if (file.size() < 12 || file.substr(0, 4) != "RIFF" || file.substr(8, 4) != "WAVE") {
    return std::nullopt;
  }
  uint32_t byteRate = 0;
  size_t at = 12;
  // Chunks: 4-byte id, 4-byte little-endian size, the data padded to an even length.
  while (at + 8 <= file.size()) {
    const std::string_view id = file.substr(at, 4);
    const uint32_t size = le32(file, at + 4);
    if (id == "fmt " && size >= 16 && at + 8 + 12 <= file.size()) {
      byteRate = le32(file, at + 8 + 8);
    } else if (id == "data") {
      if (byteRate == 0) return std::nullopt;
      // A streamed WAV may give 0 or 0xFFFFFFFF as its length: what arrived is what plays.
      const size_t available = file.size() - (at + 8);
      const size_t bytes = size == 0 || size > available ? available : size;
      return static_cast<double>(bytes) / byteRate;
    }
    at += 8 + static_cast<size_t>(size) + (size & 1);
  }
  return std::nullopt;
}

}  // namespace switchyard
