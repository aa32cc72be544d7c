#include "api/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard {
namespace {

TEST(AppendJsonString, QuotesAndEscapes) {
  std::string out;
  appendJsonString(out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, R"("a\"b\\c\nd\u0001")");
  EXPECT_EQ(boost::json::parse(out).as_string(), "a\"b\\c\nd\x01");
}

}  // namespace
}  // namespace switchyard
