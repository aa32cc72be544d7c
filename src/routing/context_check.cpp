#include "routing/context_check.hpp"

#include "api/openai/chat_tokens.hpp"
#include "api/token_count.hpp"
#include "stages/accounting/price_table.hpp"
#include "tokenizer/model_encoding.hpp"

namespace switchyard {

namespace json = boost::json;

std::string_view countedModel(const Deployment& d) {
  const auto* base = d.modelInfo.if_contains("base_model");
  if (base && base->is_string() && !base->get_string().empty()) return base->get_string();
  return d.upstreamModel;
}

void resolveContextWindows(Snapshot& next) {
  const PriceTable* prices = next.prices.get();
  for (auto& d : next.deployments) {
    const auto window = contextWindowFor(*d, prices);
    const auto* encoding = tokenizer::encodingForModel(countedModel(*d));
    if (window == d->maxInputTokens && encoding == d->tokenizer) continue;
    auto copy = std::make_shared<Deployment>(*d);
    copy->maxInputTokens = window;
    copy->tokenizer = encoding;
    d = std::move(copy);
  }
}

void countRequestInput(const ApiRequest& request, TokenTally& tally) {
  const json::object& body = request.body();
  if (request.endpoint == Endpoint::kChatCompletions) {
    if (const auto* messages = body.if_contains("messages"); messages && messages->is_array()) {
      for (const auto& m : messages->get_array()) {
        if (m.is_object()) countChatMessage(m.get_object(), tally);
      }
      tally.reply();
    }
    if (const auto* tools = body.if_contains("tools"); tools && tools->is_array()) {
      countChatTools(tools->get_array(), tally);
    }
  } else if (request.endpoint == Endpoint::kCompletions) {
    const auto* prompt = body.if_contains("prompt");
    if (!prompt) return;
    if (prompt->is_string()) tally.text(prompt->get_string());
    if (prompt->is_array()) {
      for (const auto& p : prompt->get_array()) {
        if (p.is_string()) tally.text(p.get_string());
      }
    }
  }
}

std::optional<MiddleOutResult> fitMiddleOut(const Snapshot& snapshot, std::string_view model,
                                            ApiRequest& request) {
  if (request.endpoint != Endpoint::kChatCompletions) return std::nullopt;
  const auto it = snapshot.groups.find(snapshot.router.groupFor(model));
  if (it == snapshot.groups.end()) return std::nullopt;
  const Deployment* widest = nullptr;
  for (size_t i : it->second) {
    const Deployment& d = *snapshot.deployments[i];
    if (d.maxInputTokens && (!widest || *d.maxInputTokens > *widest->maxInputTokens)) widest = &d;
  }
  if (!widest) return std::nullopt;
  // Counted on the body as it is before anything is edited, so that a body that fits keeps its
  // client's text (the fast path).
  TokenTally tally(widest->tokenizer);
  countRequestInput(request, tally);
  if (tally.total() <= *widest->maxInputTokens) return std::nullopt;
  return middleOut(request.editBody(), *widest->maxInputTokens, widest->tokenizer);
}

int64_t ContextCheck::inputTokens(const tokenizer::Encoding* encoding) {
  const size_t slot = encoding == &tokenizer::o200kBase()    ? 0
                      : encoding == &tokenizer::cl100kBase() ? 1
                                                             : 2;
  auto& count = counts_[slot];
  if (!count) {
    TokenTally tally(slot == 2 ? nullptr : encoding);
    countRequestInput(request_, tally);
    count = tally.total();
  }
  return *count;
}

bool ContextCheck::fits(const Deployment& d, bool resolved) {
  std::optional<int64_t> window = d.maxInputTokens;
  const tokenizer::Encoding* encoding = d.tokenizer;
  if (!resolved) {
    window = contextWindowFor(d, prices_);
    encoding = tokenizer::encodingForModel(countedModel(d));
  }
  if (!window) return true;
  const int64_t tokens = inputTokens(encoding);
  if (tokens <= *window) return true;
  refused_ = Refusal{std::string(countedModel(d)), *window, tokens};
  return false;
}

Error ContextCheck::exceeded(std::string_view group) const {
  std::string message =
      "Context Window exceeded for given call. No models have context window large enough for "
      "this call. Model group=" +
      std::string(group);
  if (refused_) {
    message += ", Model=" + refused_->model +
               ", Max Input Tokens=" + std::to_string(refused_->window) +
               ", Got=" + std::to_string(refused_->tokens);
  }
  return Error::make(ErrorClass::kContextWindow, std::move(message), "messages",
                     "context_length_exceeded");
}

}  // namespace switchyard
