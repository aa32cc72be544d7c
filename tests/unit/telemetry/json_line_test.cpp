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
  const uint8_t id[3] = {0x0a, 0xff, 0x10};
  line.plain("p", "2026-12-01T00:00:00.000Z").hex("h", id, sizeof id);
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

}  // namespace
}  // namespace switchyard
