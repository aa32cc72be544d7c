#include "server/first_content.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(CarriesContent, RoleOnlyOpeningsDoNot) {
  EXPECT_FALSE(carriesContent(
      R"(data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})"
      "\n\n"));
  EXPECT_FALSE(carriesContent("event: message_start\ndata: {\"type\":\"message_start\"}\n\n"));
  EXPECT_FALSE(carriesContent(""));
}

TEST(CarriesContent, TextToolCallsFinishAndEndDo) {
  EXPECT_TRUE(carriesContent(R"(data: {"choices":[{"delta":{"content":"Hi"}}]})"));
  EXPECT_TRUE(carriesContent(R"(data: {"choices":[{"delta":{"reasoning_content":"hm"}}]})"));
  EXPECT_TRUE(carriesContent(R"(data: {"choices":[{"text":"legacy"}]})"));
  EXPECT_TRUE(carriesContent(R"(data: {"choices":[{"delta":{"tool_calls":[]}}]})"));
  EXPECT_TRUE(carriesContent(R"(data: {"choices":[{"delta":{},"finish_reason":"stop"}]})"));
  EXPECT_TRUE(carriesContent("data: [DONE]\n\n"));
  EXPECT_TRUE(carriesContent("event: content_block_delta\ndata: {}\n\n"));
}

}  // namespace
}  // namespace switchyard
