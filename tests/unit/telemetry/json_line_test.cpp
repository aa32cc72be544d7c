#include "telemetry/json_line.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard {
namespace {

TEST(JsonLine, BuildsAnObjectThatParses) {
  TextBuffer buffer;
  JsonLine line(buffer);
  line.str<"s">("a\"b").num<"i">(int64_t(-7)).num<"d">(0.125).boolean<"b">(true).null<"n">();
  line.num<"inf">(std::numeric_limits<double>::infinity());
  const uint8_t id[3] = {0x0a, 0xff, 0x10};
  line.plain<"p">("2026-12-01T00:00:00.000Z").hex<"h">(id, sizeof id);
  line.end();
  const auto j = boost::json::parse(buffer.view()).as_object();
  EXPECT_EQ(j.at("s"), "a\"b");
  EXPECT_EQ(j.at("i"), -7);
  EXPECT_EQ(j.at("d"), 0.125);
  EXPECT_EQ(j.at("b"), true);
  EXPECT_TRUE(j.at("n").is_null());
  EXPECT_TRUE(j.at("inf").is_null());
  EXPECT_EQ(j.at("p"), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(j.at("h"), "0aff10");
}

// Fields are written with a comma before them and the first one's becomes the brace: a line after
// others in the same buffer, one that grows the buffer on the way, and one with no field at all
// must all come out as objects of their own.
TEST(JsonLine, LinesAfterOthersAcrossGrowthAndEmptyAreObjects) {
  TextBuffer buffer;
  JsonLine first(buffer);
  first.num<"n">(int64_t(1));
  first.end();
  buffer.commit(put(buffer.reserve(1), "\n"));
  const std::string big(5000, 'x');  // more than the buffer's chunk: it is reallocated mid-line
  JsonLine second(buffer);
  second.str<"a">("b").str<"big">(big).null<"z">();
  second.end();
  buffer.commit(put(buffer.reserve(1), "\n"));
  JsonLine empty(buffer);
  empty.end();
  const std::string_view text = buffer.view();
  const size_t firstEnd = text.find('\n');
  const size_t secondEnd = text.find('\n', firstEnd + 1);
  EXPECT_EQ(text.substr(0, firstEnd), R"({"n":1})");
  const auto j =
      boost::json::parse(text.substr(firstEnd + 1, secondEnd - firstEnd - 1)).as_object();
  EXPECT_EQ(j.at("a"), "b");
  EXPECT_EQ(j.at("big").as_string().size(), big.size());
  EXPECT_TRUE(j.at("z").is_null());
  EXPECT_EQ(text.substr(secondEnd + 1), "{}");
}

}  // namespace
}  // namespace switchyard
