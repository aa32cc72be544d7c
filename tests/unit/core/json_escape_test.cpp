#include "core/json_escape.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

namespace switchyard {
namespace {

TEST(JsonEscape, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  appendJsonEscaped(out, std::string_view("plain \"q\" back\\slash\nnl\ttab\x01 end\0", 33));
  EXPECT_EQ(out, "plain \\\"q\\\" back\\\\slash\\nnl\\ttab\\u0001 end\\u0000");
}

// Texts are scanned 8 bytes at a time: a character to escape at any offset of a text of any
// length, next to UTF-8 and bytes just above the control range, must still be found.
TEST(JsonEscape, EscapesAtEveryOffsetOfTextsOfEveryLength) {
  const std::string base = "\xc3\xa9! ~abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";
  for (const char special : {'"', '\\', '\n', '\x1f', '\0'}) {
    for (size_t size = 2; size <= base.size(); ++size) {
      for (size_t at = 2; at < size; ++at) {
        std::string text = base.substr(0, size);
        text[at] = special;
        std::string out = "\"";
        appendJsonEscaped(out, text);
        out += '"';
        ASSERT_EQ(boost::json::parse(out).as_string(), text) << int(special) << " at " << at;
      }
      std::string out = "\"";
      appendJsonEscaped(out, base.substr(0, size));
      EXPECT_EQ(out.substr(1), base.substr(0, size));  // nothing to escape: copied as it is
    }
  }
}

// The escaping byte by byte, as the specification says: what the word-at-a-time code must match.
std::string escapedByteByByte(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

// putJsonEscaped copies while it checks, a word at a time: for every length and every offset of
// a character to escape, it writes the right text and nothing outside its room (ASan: the buffer
// is exactly the room the caller promises, and a clean text must stay within its own size).
// Bytes just outside the escaped range (0x1f/0x20, 0x7f/0x80, 0xff) must not be mistaken.
TEST(JsonEscape, PutWritesOnlyTheEscapedTextForEveryLength) {
  const std::string base = "\xc3\xa9\x7f\x80\xff ~!#abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
  for (size_t size = 0; size <= base.size(); ++size) {
    const std::string clean = base.substr(0, size);
    std::vector<char> room(clean.size() + 1, '#');
    char* end = putJsonEscaped(room.data(), clean);
    ASSERT_EQ(std::string_view(room.data(), size_t(end - room.data())), clean);
    ASSERT_EQ(room[size], '#') << "wrote past a clean text of " << size << " bytes";
    for (size_t at = 0; at < size; ++at) {
      for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\0'}) {
        std::string text = clean;
        text[at] = special;
        std::vector<char> out(kMaxJsonEscapedGrowth * text.size());
        end = putJsonEscaped(out.data(), text);
        ASSERT_EQ(std::string(out.data(), end), escapedByteByByte(text))
            << int(special) << " at " << at << " of " << size;
      }
    }
  }
}

TEST(JsonEscape, QuotedStringsParseBack) {
  std::string out;
  appendJsonString(out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, R"("a\"b\\c\nd\u0001")");
  EXPECT_EQ(boost::json::parse(out).as_string(), "a\"b\\c\nd\x01");
  out.clear();
  appendJsonString(out, "plain");
  EXPECT_EQ(out, "\"plain\"");
}

}  // namespace
}  // namespace switchyard
