#include "telemetry/text_buffer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/random.hpp"

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

// putInt writes long numbers (Unix nanoseconds) eight digits at a time: every digit count, both
// signs, the limits and the digits around each eight-digit boundary must read as std::to_chars.
TEST(TextBuffer, PutIntWritesWhatToCharsWritesForEveryMagnitude) {
  std::vector<int64_t> values = {0,
                                 1,
                                 -1,
                                 9,
                                 10,
                                 99999999,
                                 100000000,
                                 100000001,
                                 std::numeric_limits<int64_t>::max(),
                                 std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::min() + 1,
                                 1796154464435976717,
                                 1000000000000000000,
                                 999999999999999999};
  for (int64_t power = 1; power <= 1000000000000000000 / 10; power *= 10) {
    for (int64_t near : {power * 10 - 1, power * 10, power * 10 + 1, power * 7 + power / 3}) {
      values.push_back(near);
      values.push_back(-near);
    }
  }
  FastRandom random(42);
  for (int i = 0; i < 100000; ++i) {
    const auto bits = static_cast<int64_t>(random());
    values.push_back(bits);
    values.push_back(bits >> (i % 64));  // every length, both signs
  }
  for (int64_t v : values) {
    char expected[24];
    char* expectedEnd = std::to_chars(expected, expected + sizeof expected, v).ptr;
    char out[24];
    std::fill(std::begin(out), std::end(out), '#');
    char* end = putInt(out, v);
    ASSERT_EQ(std::string(out, end), std::string(expected, expectedEnd)) << v;
    ASSERT_EQ(*end, '#') << v;
  }
}

}  // namespace
}  // namespace switchyard
