// POST /v1/responses/input_tokens: an estimate from the canonical request, four characters a
// token plus a flat count per image; a malformed body gets the decoder's 400.

#include "api/openai/responses_input_tokens.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/token_count.hpp"

namespace switchyard {
namespace {

int64_t tokens(std::string_view body) {
  TokenTally tally(nullptr);
  auto r = countResponsesInputTokens(body, tally);
  EXPECT_EQ(tally.kind(), "estimate");
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  if (!r) return -1;
  const auto v = boost::json::parse(*r).as_object();
  EXPECT_EQ(v.at("object"), "response.input_tokens");
  return v.at("input_tokens").as_int64();
}

TEST(ResponsesInputTokens, FourCharactersATokenAndImagesFlat) {
  EXPECT_EQ(tokens(R"({"model":"m","input":"12345678"})"), 2);
  // Instructions count too; é is one code point.
  EXPECT_EQ(tokens(R"({"model":"m","input":"1234","instructions":"é234"})"), 2);
  EXPECT_EQ(tokens(R"({"model":"m","input":[{"role":"user","content":[
      {"type":"input_text","text":"1234"},{"type":"input_image","image_url":"https://x/y.png"}]}]})"),
            1 + 1600);
  const int64_t withTool =
      tokens(R"({"model":"m","input":"1234","tools":[{"type":"function","name":"get_weather"}]})");
  EXPECT_GT(withTool, 1);
  TokenTally tally(nullptr);
  auto bad = countResponsesInputTokens(R"({"model":"m"})", tally);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param, "input");
}

}  // namespace
}  // namespace switchyard
