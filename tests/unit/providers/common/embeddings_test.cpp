// OpenAI's embeddings list as translators build it.

#include "providers/common/embeddings.hpp"

#include <gtest/gtest.h>

#include "providers/common/base64.hpp"

namespace switchyard::common {
namespace {

namespace json = boost::json;
using Vectors = std::vector<std::vector<double>>;

TEST(EmbeddingList, FloatsAndUsage) {
  const auto text = embeddingList(Vectors{{0.5, -1.0}, {2.0}}, "m", false, 11);
  EXPECT_EQ(json::parse(text), json::parse(R"({"object":"list","data":[
      {"object":"embedding","index":0,"embedding":[0.5,-1.0]},
      {"object":"embedding","index":1,"embedding":[2.0]}],
      "model":"m","usage":{"prompt_tokens":11,"total_tokens":11}})"));
}

TEST(EmbeddingList, Base64AsFloat32) {
  const auto list = json::parse(embeddingList(Vectors{{1.0, -2.0}}, "m", true, 3));
  EXPECT_EQ(list.at("data").at(0).at("embedding"), json::value(base64Float32({1.0, -2.0})));
}

TEST(EmbeddingList, PrebuiltItemsKeepTheirValues) {
  json::array data{embeddingItem(0, json::array{1, 2})};
  const auto list = json::parse(embeddingList(std::move(data), "m", 4, 5));
  EXPECT_EQ(list.at("data").at(0).at("embedding"), json::parse("[1,2]"));
  EXPECT_EQ(list.at("usage"), json::parse(R"({"prompt_tokens":4,"total_tokens":5})"));
}

TEST(ReadVector, NumbersOnly) {
  std::vector<double> v{9};
  ASSERT_TRUE(readVector(json::parse("[1, 2.5, -3]"), v));
  EXPECT_EQ(v, (std::vector<double>{1, 2.5, -3}));
  ASSERT_TRUE(readVector(json::parse("[]"), v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(readVector(json::parse("[1, \"2\"]"), v));
  EXPECT_FALSE(readVector(json::parse("{}"), v));
  EXPECT_FALSE(readVector(json::parse("null"), v));
}

}  // namespace
}  // namespace switchyard::common
