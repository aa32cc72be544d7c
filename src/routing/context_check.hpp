#pragma once
// Whether a request's input fits a deployment's context window, before anything is sent
// (router_settings.enable_pre_call_checks, context_window_fallbacks): the router skips the
// deployments it cannot fit, and a group none of whose deployments fits is left for its
// context_window_fallbacks with LiteLLM's ContextWindowExceededError, which is also the answer
// when nothing fits anywhere.
//
// The input is counted only when a check asks, at most once per tokenizer (exact with OpenAI's
// encodings for OpenAI-family models, the gateway's estimate for the others), and only for chat
// and completions requests; a deployment whose window nothing states always fits.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/openai/middle_out.hpp"
#include "api/request.hpp"
#include "config/snapshot.hpp"
#include "core/error.hpp"

namespace switchyard {

class PriceTable;
class TokenTally;

// The model a deployment's prompts are counted for: model_info.base_model (what an Azure
// deployment name hides) when set, else its upstream model.
std::string_view countedModel(const Deployment& d);

// Gives every deployment of `next` (and its wildcard templates) its context window and tokenizer
// (Deployment::maxInputTokens, ::tokenizer), copying those that change (they may be shared with
// the parsed snapshot).
void resolveContextWindows(Snapshot& next);

// Counts what the model reads of a chat or completions body into `tally`: messages as OpenAI
// frames them and tool definitions, or the prompt. Other endpoints count nothing.
void countRequestInput(const ApiRequest& request, TokenTally& tally);

// OpenRouter's middle-out for a chat request: its conversation fitted to the largest context
// window among the deployments of the group `model` means, counted with that deployment's
// tokenizer. Nothing when no deployment states a window or the request is not a chat one; the
// body is edited only when something has to go.
std::optional<MiddleOutResult> fitMiddleOut(const Snapshot& snapshot, std::string_view model,
                                            ApiRequest& request);

class ContextCheck {
 public:
  ContextCheck(const ApiRequest& request, const PriceTable* prices)
      : request_(request), prices_(prices) {}

  // Whether the input fits `d`: one resolved by resolveContextWindows, or (resolved: false) a
  // wildcard's deployment made for this request, resolved here. A refusal is remembered for
  // exceeded().
  bool fits(const Deployment& d, bool resolved = true);
  // The input's tokens for a tokenizer (null: the estimate), counted on first need.
  int64_t inputTokens(const tokenizer::Encoding* encoding);
  // LiteLLM's ContextWindowExceededError for a group none of whose deployments fits: 400,
  // invalid_request_error, code context_length_exceeded.
  Error exceeded(std::string_view group) const;
  // Forgets the counts: the body was changed (middle-out).
  void recount() { counts_ = {}; }

 private:
  const ApiRequest& request_;
  const PriceTable* prices_;
  std::array<std::optional<int64_t>, 3> counts_{};  // o200k_base, cl100k_base, estimate
  struct Refusal {
    std::string model;
    int64_t window = 0;
    int64_t tokens = 0;
  };
  std::optional<Refusal> refused_;
};

}  // namespace switchyard
