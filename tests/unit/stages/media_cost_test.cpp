// What the media and ranking endpoints cost: LiteLLM's per-image, per-second, per-character and
// per-query prices, from the table, model_info, and the embedded data.
#include <gtest/gtest.h>

#include "stages/accounting/price_table.hpp"

namespace switchyard {
namespace {

TEST(MediaCost, UnitPricesAreReadAndCharged) {
  auto table = PriceTable::parse(R"({
    "img": {"output_cost_per_image": 0.04},
    "stt": {"input_cost_per_second": 0.0001, "output_cost_per_second": 0.0001},
    "stt-out": {"output_cost_per_second": 0.0002},
    "tts": {"input_cost_per_character": 1.5e-5},
    "rr": {"input_cost_per_query": 0.002},
    "gpt-img": {"input_cost_per_token": 5e-6, "output_cost_per_image_token": 4e-5}})");
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->size(), 6u);  // entries with only unit prices are kept

  Usage images;
  images.images = 3;
  EXPECT_NEAR(costOf(*table->find("img"), images), 0.12, 1e-12);
  Usage seconds;
  seconds.seconds = 90;
  // Transcription is charged once per second: the input price, not input plus output.
  EXPECT_NEAR(costOf(*table->find("stt"), seconds), 0.009, 1e-12);
  EXPECT_NEAR(costOf(*table->find("stt-out"), seconds), 0.018, 1e-12);
  Usage characters;
  characters.characters = 1000;
  EXPECT_NEAR(costOf(*table->find("tts"), characters), 0.015, 1e-12);
  Usage search;
  search.searchUnits = 2;
  EXPECT_NEAR(costOf(*table->find("rr"), search), 0.004, 1e-12);
  // gpt-image: its output tokens at the image-token price.
  Usage gptImage;
  gptImage.images = 1;
  gptImage.promptTokens = 10;
  gptImage.completionTokens = 272;
  EXPECT_NEAR(costOf(*table->find("gpt-img"), gptImage), 10 * 5e-6 + 272 * 4e-5, 1e-12);
}

TEST(MediaCost, RejectsABadUnitPriceNamingIt) {
  auto bad = PriceTable::parse(R"({"m": {"input_cost_per_query": -1}})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("m.input_cost_per_query"), std::string::npos);
}

TEST(MediaCost, ModelInfoUnitPricesOverrideTheTable) {
  const auto table = *PriceTable::parse(R"({"whisper-1": {"input_cost_per_second": 0.0001}})");
  Deployment d;
  d.provider = "openai";
  d.upstreamModel = "whisper-1";
  d.modelInfo = boost::json::object{{"input_cost_per_second", 0.0005}};
  auto price = priceFor(d, &table);
  ASSERT_TRUE(price);
  EXPECT_DOUBLE_EQ(*price->inputPerSecond, 0.0005);
}

TEST(MediaCost, EmbeddedTablePricesTheMediaModels) {
  auto table = PriceTable::parse(embeddedPricesJson());
  ASSERT_TRUE(table);
  EXPECT_DOUBLE_EQ(*table->find("whisper-1")->inputPerSecond, 0.0001);
  EXPECT_DOUBLE_EQ(*table->find("tts-1")->inputPerCharacter, 1.5e-5);
  EXPECT_DOUBLE_EQ(*table->find("dall-e-3")->outputPerImage, 0.04);
  EXPECT_DOUBLE_EQ(*table->find("rerank-english-v3.0")->inputPerQuery, 0.002);
}

}  // namespace
}  // namespace switchyard
