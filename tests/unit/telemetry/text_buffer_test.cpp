#include "telemetry/text_buffer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard {
namespace {

// putHex takes ids eight bytes at a time where it can, the rest byte by byte: every length and
// every byte value must come out as the plain per-byte digits, and nothing written past them.
TEST(TextBuffer, PutHexWritesTwoLowerCaseDigitsPerByteForEveryLength) {
  std::vector<uint8_t> bytes(40);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t(i * 37 + 11);
  bytes[3] = 0x00;
  bytes[4] = 0xff;
  bytes[5] = 0x9a;
  bytes[6] = 0xa9;
  for (size_t n = 0; n <= bytes.size(); ++n) {
    std::string expected;
    for (size_t i = 0; i < n; ++i) {
      static constexpr char kDigits[] = "0123456789abcdef";
      expected += kDigits[bytes[i] >> 4];
      expected += kDigits[bytes[i] & 15];
    }
    std::string out(2 * n + 1, '#');
    char* end = putHex(out.data(), bytes.data(), n);
    ASSERT_EQ(end, out.data() + 2 * n);
    ASSERT_EQ(out.substr(0, 2 * n), expected) << n << " bytes";
    ASSERT_EQ(out[2 * n], '#');
  }
  for (int b = 0; b < 256; ++b) {
    const std::vector<uint8_t> same(8, uint8_t(b));
    char out[16];
    putHex(out, same.data(), same.size());
    for (int i = 0; i < 16; i += 2) {
      ASSERT_EQ(std::stoi(std::string(out + i, 2), nullptr, 16), b);
    }
  }
}

}  // namespace
}  // namespace switchyard
