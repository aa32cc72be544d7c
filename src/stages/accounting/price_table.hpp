#pragma once
// Model prices in LiteLLM's model_prices_and_context_window.json shape, and what a request cost.
// The table (embedded copy of data/model_prices.json, or a file named in the config) is loaded
// with each config and held by its snapshot, so a reload swaps prices with everything else.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/request.hpp"
#include "config/snapshot.hpp"
#include "core/error.hpp"

namespace switchyard {

// USD per token (and per unit, for media). Cache and reasoning prices fall back to the input /
// output price when a model has none of its own.
struct ModelPrice {
  double inputPerToken = 0.0;
  double outputPerToken = 0.0;
  std::optional<double> cacheReadPerToken;
  std::optional<double> cacheWritePerToken;
  std::optional<double> reasoningPerToken;
  // The media and ranking endpoints' units, under LiteLLM's names: output_cost_per_image (images
  // made), output_cost_per_image_token (gpt-image's output tokens), input_cost_per_second (audio
  // transcribed; output_cost_per_second when a model has only that), input_cost_per_character
  // (text spoken), input_cost_per_query (rerank search units).
  std::optional<double> outputPerImage;
  std::optional<double> outputPerImageToken;
  std::optional<double> inputPerSecond;
  std::optional<double> outputPerSecond;
  std::optional<double> inputPerCharacter;
  std::optional<double> inputPerQuery;
};

class PriceTable {
 public:
  // Entries without any price this reads are skipped; entries with a price that is not a
  // number >= 0 are errors naming the model and field.
  static Result<PriceTable> parse(std::string_view json);
  const ModelPrice* find(std::string_view model) const;
  size_t size() const { return prices_.size(); }
  // The entry's max_input_tokens (its context window for the prompt), for any entry that has
  // one, priced or not.
  std::optional<int64_t> maxInputTokens(std::string_view model) const;

 private:
  std::map<std::string, ModelPrice, std::less<>> prices_;
  std::map<std::string, int64_t, std::less<>> windows_;
};

// The data/model_prices.json this binary was built with.
std::string_view embeddedPricesJson();

// Loads the table named by general_settings.model_prices_path, or the embedded one when empty.
Result<std::shared_ptr<const PriceTable>> loadPriceTable(const std::string& overridePath);

// The price of one deployment: its model_info prices override the table (as in LiteLLM), and the
// table is searched as "<provider>/<model>", "<model>", then the public model name. A null table
// (a snapshot that was only parsed) has no prices of its own.
std::optional<ModelPrice> priceFor(const Deployment& d, const PriceTable* table);

// A deployment's context window for its input: model_info.max_input_tokens, else
// model_info.max_tokens (as LiteLLM configs often give it), else the table's max_input_tokens,
// searched as for the price; nullopt when nothing says.
std::optional<int64_t> contextWindowFor(const Deployment& d, const PriceTable* table);

// Cost of the reported usage: cached reads, cache writes and reasoning tokens at their own rates.
// Usage counts them inside prompt_tokens / completion_tokens, as OpenAI reports them. Images,
// audio seconds, characters and search units at their unit prices; an image answer's output
// tokens at the image-token price where the model has one.
double costOf(const ModelPrice& price, const Usage& usage);

}  // namespace switchyard
