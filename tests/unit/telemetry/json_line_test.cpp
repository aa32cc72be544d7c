#include "telemetry/json_line.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard {
namespace {

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
