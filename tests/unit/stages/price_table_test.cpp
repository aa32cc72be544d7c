#include <gtest/gtest.h>

#include "stages/accounting/price_table.hpp"

namespace switchyard {
namespace {

TEST(PriceTable, EmbeddedTableCoversEveryProviderFamily) {
  auto table = PriceTable::parse(embeddedPricesJson());
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_GT(table->size(), 200u);
  for (std::string_view model :
       {"gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-pro", "deepseek-chat",
        "mistral/mistral-large-latest", "command-r-plus-08-2024",
        "anthropic.claude-3-7-sonnet-20250219-v1:0", "groq/llama-3.3-70b-versatile",
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"}) {
    EXPECT_NE(table->find(model), nullptr) << model;
  }
}

TEST(PriceTable, RejectsNegativeOrNonNumericPrices) {
  auto bad = PriceTable::parse(R"({"m": {"input_cost_per_token": -1}})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("m.input_cost_per_token"), std::string::npos);
  EXPECT_FALSE(PriceTable::parse(R"({"m": {"output_cost_per_token": "x"}})"));
  EXPECT_FALSE(PriceTable::parse("[1]"));
  auto images = PriceTable::parse(R"({"dall-e": {"input_cost_per_pixel": 1e-8}})");
  ASSERT_TRUE(images);
  EXPECT_EQ(images->size(), 0u);
}

TEST(Cost, CachedReadWriteAndReasoningTokensAtTheirOwnRates) {
  ModelPrice p;
  p.inputPerToken = 3e-6;
  p.outputPerToken = 15e-6;
  p.cacheReadPerToken = 0.3e-6;
  p.cacheWritePerToken = 3.75e-6;
  p.reasoningPerToken = 20e-6;
  Usage u;
  u.promptTokens = 1000;  // includes 600 read from cache and 100 written to it
  u.cachedPromptTokens = 600;
  u.cacheWriteTokens = 100;
  u.completionTokens = 500;  // includes 200 reasoning
  u.reasoningTokens = 200;
  const double expected = 300 * 3e-6 + 600 * 0.3e-6 + 100 * 3.75e-6 + 300 * 15e-6 + 200 * 20e-6;
  EXPECT_NEAR(costOf(p, u), expected, 1e-12);
  // Without own cache / reasoning prices those tokens cost the plain rates.
  ModelPrice plain;
  plain.inputPerToken = 1e-6;
  plain.outputPerToken = 2e-6;
  EXPECT_NEAR(costOf(plain, u), 1000 * 1e-6 + 500 * 2e-6, 1e-12);
  // Inconsistent counts from an upstream are clamped, never negative.
  Usage odd;
  odd.promptTokens = 10;
  odd.cachedPromptTokens = 50;
  odd.cacheWriteTokens = 50;
  EXPECT_NEAR(costOf(p, odd), 10 * 0.3e-6, 1e-15);
}

TEST(Cost, DeploymentModelInfoOverridesTheTable) {
  const auto table = *PriceTable::parse(
      R"({"gpt-x": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6,
                    "cache_read_input_token_cost": 5e-7},
          "groq/llama-x": {"input_cost_per_token": 7e-7, "output_cost_per_token": 8e-7},
          "anthropic.claude-y": {"input_cost_per_token": 3e-6, "output_cost_per_token": 4e-6}})");
  Deployment d;
  d.provider = "openai";
  d.upstreamModel = "gpt-x";
  d.modelName = "public";
  auto price = priceFor(d, &table);
  ASSERT_TRUE(price);
  EXPECT_DOUBLE_EQ(price->inputPerToken, 1e-6);
  d.modelInfo["output_cost_per_token"] = 9e-6;
  price = priceFor(d, &table);
  EXPECT_DOUBLE_EQ(price->inputPerToken, 1e-6);
  EXPECT_DOUBLE_EQ(price->outputPerToken, 9e-6);
  EXPECT_DOUBLE_EQ(*price->cacheReadPerToken, 5e-7);
  d = {};
  d.provider = "groq";
  d.upstreamModel = "llama-x";
  EXPECT_DOUBLE_EQ(priceFor(d, &table)->inputPerToken, 7e-7);
  d.provider = "bedrock";
  d.upstreamModel = "us.anthropic.claude-y";
  EXPECT_DOUBLE_EQ(priceFor(d, &table)->outputPerToken, 4e-6);
  d.upstreamModel = "unknown";
  EXPECT_FALSE(priceFor(d, &table));
}

TEST(Cost, LiteLlmParamsPricesComeFirst) {
  const auto table = *PriceTable::parse(
      R"({"gpt-x": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}})");
  Deployment d;
  d.provider = "openai";
  d.upstreamModel = "gpt-x";
  d.modelInfo["input_cost_per_token"] = 5e-6;
  d.inputCostPerToken = 3e-6;  // litellm_params.input_cost_per_token
  auto price = priceFor(d, &table);
  ASSERT_TRUE(price);
  EXPECT_DOUBLE_EQ(price->inputPerToken, 3e-6);
  EXPECT_DOUBLE_EQ(price->outputPerToken, 2e-6);
  // A model no table knows, priced by its deployment alone.
  Deployment own;
  own.provider = "openai";
  own.upstreamModel = "my-finetune";
  own.inputCostPerToken = 1e-7;
  own.outputCostPerToken = 4e-7;
  price = priceFor(own, &table);
  ASSERT_TRUE(price);
  Usage u;
  u.promptTokens = 10;
  u.completionTokens = 5;
  EXPECT_DOUBLE_EQ(costOf(*price, u), 10 * 1e-7 + 5 * 4e-7);
}

}  // namespace
}  // namespace switchyard
