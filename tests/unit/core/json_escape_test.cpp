#include "core/json_escape.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

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
