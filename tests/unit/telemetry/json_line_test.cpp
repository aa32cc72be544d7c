#include "telemetry/json_line.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard {
namespace {

TEST(JsonLine, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  appendJsonEscaped(out, std::string_view("plain \"q\" back\\slash\nnl\ttab\x01 end\0", 33));
  EXPECT_EQ(out, "plain \\\"q\\\" back\\\\slash\\u000anl\\u0009tab\\u0001 end\\u0000");
}

// Texts are scanned 8 bytes at a time: a character to escape at any offset of a text of any
// length, next to UTF-8 and bytes just above the control range, must still be found.
TEST(JsonLine, EscapesAtEveryOffsetOfTextsOfEveryLength) {
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

TEST(JsonLine, BuildsAnObjectThatParses) {
  TextBuffer buffer;
  JsonLine line(buffer);
  line.str("s", "a\"b").num("i", int64_t(-7)).num("d", 0.125).boolean("b", true).null("n");
  line.num("inf", std::numeric_limits<double>::infinity());
  line.end();
  const auto j = boost::json::parse(buffer.view()).as_object();
  EXPECT_EQ(j.at("s"), "a\"b");
  EXPECT_EQ(j.at("i"), -7);
  EXPECT_EQ(j.at("d"), 0.125);
  EXPECT_EQ(j.at("b"), true);
  EXPECT_TRUE(j.at("n").is_null());
  EXPECT_TRUE(j.at("inf").is_null());
}

}  // namespace
}  // namespace switchyard
