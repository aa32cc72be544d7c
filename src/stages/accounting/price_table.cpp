#include "stages/accounting/price_table.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <fstream>

namespace switchyard {

namespace json = boost::json;

namespace {

// A price field: absent is nullopt; present must be a finite number >= 0.
Result<std::optional<double>> priceField(const json::object& o, std::string_view field,
                                         std::string_view model) {
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return std::optional<double>();
  double x = -1;
  if (v->is_double()) x = v->get_double();
  if (v->is_int64()) x = static_cast<double>(v->get_int64());
  if (v->is_uint64()) x = static_cast<double>(v->get_uint64());
  if (!(x >= 0) || x > 1.0) {
    return Error::make(ErrorClass::kBadRequest, "model prices: " + std::string(model) + "." +
                                                    std::string(field) +
                                                    " must be a USD price number >= 0");
  }
  return std::optional<double>(x);
}

// Reads the price fields of one entry; nullopt when it carries no per-token price.
Result<std::optional<ModelPrice>> readPrice(const json::object& o, std::string_view model) {
  ModelPrice p;
  auto input = priceField(o, "input_cost_per_token", model);
  auto output = priceField(o, "output_cost_per_token", model);
  auto cacheRead = priceField(o, "cache_read_input_token_cost", model);
  auto cacheWrite = priceField(o, "cache_creation_input_token_cost", model);
  auto reasoning = priceField(o, "output_cost_per_reasoning_token", model);
  auto perImage = priceField(o, "output_cost_per_image", model);
  auto perImageToken = priceField(o, "output_cost_per_image_token", model);
  auto inSecond = priceField(o, "input_cost_per_second", model);
  auto outSecond = priceField(o, "output_cost_per_second", model);
  auto perCharacter = priceField(o, "input_cost_per_character", model);
  auto perQuery = priceField(o, "input_cost_per_query", model);
  const std::array units = {&perImage,  &perImageToken, &inSecond,
                            &outSecond, &perCharacter,  &perQuery};
  for (const auto* r : {&input, &output, &cacheRead, &cacheWrite, &reasoning}) {
    if (!*r) return r->error();
  }
  bool anyUnit = false;
  for (const auto* r : units) {
    if (!*r) return r->error();
    anyUnit = anyUnit || r->value().has_value();
  }
  if (!*input && !*output && !anyUnit) return std::optional<ModelPrice>();
  p.outputPerImage = *perImage;
  p.outputPerImageToken = *perImageToken;
  p.inputPerSecond = *inSecond;
  p.outputPerSecond = *outSecond;
  p.inputPerCharacter = *perCharacter;
  p.inputPerQuery = *perQuery;
  p.inputPerToken = input->value_or(0.0);
  p.outputPerToken = output->value_or(0.0);
  p.cacheReadPerToken = *cacheRead;
  p.cacheWritePerToken = *cacheWrite;
  p.reasoningPerToken = *reasoning;
  return std::optional<ModelPrice>(p);
}

// Bedrock cross-region inference profiles ("us.anthropic.claude-...") cost what the model costs.
std::string_view withoutRegionPrefix(std::string_view model) {
  for (std::string_view prefix : {"us.", "eu.", "apac.", "global.", "us-gov."}) {
    if (model.starts_with(prefix)) return model.substr(prefix.size());
  }
  return model;
}

// A token count field: a whole number > 0, else nothing (a malformed one is not a price error).
std::optional<int64_t> positiveInteger(const json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (!v) return std::nullopt;
  if (v->is_int64() && v->get_int64() > 0) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT64_MAX));
  if (v->is_double() && v->get_double() >= 1 && v->get_double() < 9e18) {
    return static_cast<int64_t>(v->get_double());
  }
  return std::nullopt;
}

// The names a deployment's model is found under in the table, most specific first.
template <class F>
auto findInTable(const Deployment& d, F&& lookup) -> decltype(lookup(std::string_view())) {
  const std::string qualified = d.provider + "/" + d.upstreamModel;
  for (std::string_view candidate :
       {std::string_view(qualified), std::string_view(d.upstreamModel),
        withoutRegionPrefix(d.upstreamModel), std::string_view(d.modelName)}) {
    if (candidate.empty()) continue;
    if (auto found = lookup(candidate)) return found;
  }
  return {};
}

}  // namespace

Result<PriceTable> PriceTable::parse(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) {
    return Error::make(ErrorClass::kBadRequest,
                       "model prices: not a JSON object of models (" + ec.message() + ")");
  }
  PriceTable table;
  for (const auto& [name, entry] : doc.get_object()) {
    if (name == "sample_spec" || !entry.is_object()) continue;
    auto price = readPrice(entry.get_object(), name);
    if (!price) return price.error();
    if (*price) table.prices_.emplace(std::string(name), **price);
    if (auto window = positiveInteger(entry.get_object(), "max_input_tokens")) {
      table.windows_.emplace(std::string(name), *window);
    }
  }
  return table;
}

std::optional<int64_t> PriceTable::maxInputTokens(std::string_view model) const {
  auto it = windows_.find(model);
  return it == windows_.end() ? std::nullopt : std::optional<int64_t>(it->second);
}

const ModelPrice* PriceTable::find(std::string_view model) const {
  auto it = prices_.find(model);
  return it == prices_.end() ? nullptr : &it->second;
}

Result<std::shared_ptr<const PriceTable>> loadPriceTable(const std::string& overridePath) {
  std::string text;
  if (!overridePath.empty()) {
    std::ifstream in(overridePath, std::ios::binary);
    if (!in) {
      return Error::make(ErrorClass::kBadRequest,
                         "general_settings.model_prices_path: cannot read " + overridePath);
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto table = PriceTable::parse(overridePath.empty() ? embeddedPricesJson() : text);
  if (!table) return table.error();
  return std::make_shared<const PriceTable>(std::move(*table));
}

std::optional<ModelPrice> priceFor(const Deployment& d, const PriceTable* table) {
  const ModelPrice* found =
      table ? findInTable(d, [&](std::string_view m) { return table->find(m); }) : nullptr;
  std::optional<ModelPrice> price;
  if (found) price = *found;
  // model_info was validated as JSON at load; a malformed price there is ignored, not fatal.
  if (auto own = readPrice(d.modelInfo, d.modelName); own && *own) {
    const ModelPrice& o = **own;
    if (!price) price = ModelPrice{};
    if (d.modelInfo.contains("input_cost_per_token")) price->inputPerToken = o.inputPerToken;
    if (d.modelInfo.contains("output_cost_per_token")) price->outputPerToken = o.outputPerToken;
    if (o.cacheReadPerToken) price->cacheReadPerToken = o.cacheReadPerToken;
    if (o.cacheWritePerToken) price->cacheWritePerToken = o.cacheWritePerToken;
    if (o.reasoningPerToken) price->reasoningPerToken = o.reasoningPerToken;
    for (auto member : {&ModelPrice::outputPerImage, &ModelPrice::outputPerImageToken,
                        &ModelPrice::inputPerSecond, &ModelPrice::outputPerSecond,
                        &ModelPrice::inputPerCharacter, &ModelPrice::inputPerQuery}) {
      if (o.*member) (*price).*member = o.*member;
    }
  }
  // litellm_params' own prices (custom pricing) come first; the loader already fell back to
  // model_info's for these two.
  if (d.inputCostPerToken || d.outputCostPerToken) {
    if (!price) price = ModelPrice{};
    if (d.inputCostPerToken) price->inputPerToken = *d.inputCostPerToken;
    if (d.outputCostPerToken) price->outputPerToken = *d.outputCostPerToken;
  }
  return price;
}

std::optional<int64_t> contextWindowFor(const Deployment& d, const PriceTable* table) {
  if (auto own = positiveInteger(d.modelInfo, "max_input_tokens")) return own;
  if (auto own = positiveInteger(d.modelInfo, "max_tokens")) return own;
  if (!table) return std::nullopt;
  return findInTable(d, [&](std::string_view m) { return table->maxInputTokens(m); });
}

double costOf(const ModelPrice& price, const Usage& usage) {
  const int64_t prompt = std::max<int64_t>(usage.promptTokens, 0);
  const int64_t cached = std::clamp<int64_t>(usage.cachedPromptTokens, 0, prompt);
  const int64_t written = std::clamp<int64_t>(usage.cacheWriteTokens, 0, prompt - cached);
  const int64_t completion = std::max<int64_t>(usage.completionTokens, 0);
  const int64_t reasoning = std::clamp<int64_t>(usage.reasoningTokens, 0, completion);
  const double input =
      static_cast<double>(prompt - cached - written) * price.inputPerToken +
      static_cast<double>(cached) * price.cacheReadPerToken.value_or(price.inputPerToken) +
      static_cast<double>(written) * price.cacheWritePerToken.value_or(price.inputPerToken);
  const double outputRate = usage.images > 0 && price.outputPerImageToken
                                ? *price.outputPerImageToken
                                : price.outputPerToken;
  const double output =
      static_cast<double>(completion - reasoning) * outputRate +
      static_cast<double>(reasoning) * price.reasoningPerToken.value_or(outputRate);
  const double perSecond = price.inputPerSecond.value_or(price.outputPerSecond.value_or(0.0));
  const double units =
      static_cast<double>(std::max<int64_t>(usage.images, 0)) * price.outputPerImage.value_or(0) +
      std::max(usage.seconds, 0.0) * perSecond +
      static_cast<double>(std::max<int64_t>(usage.characters, 0)) *
          price.inputPerCharacter.value_or(0) +
      std::max(usage.searchUnits, 0.0) * price.inputPerQuery.value_or(0);
  return input + output + units;
}

}  // namespace switchyard
