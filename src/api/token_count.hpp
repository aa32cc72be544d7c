#pragma once
// Counting the input tokens of a request before it is sent: with the backend family's tokenizer
// where the gateway has one (OpenAI's encodings, src/tokenizer/), else with the gateway's estimate
// (api/token_estimate.hpp). The callers walk the request and say what the model would read; the
// tally knows which rule counts it and how sure the total is.
//
// With a tokenizer, messages are framed as OpenAI's chat format frames them (OpenAI's cookbook,
// "How to count tokens with tiktoken"): 3 tokens per message, 1 more for a name, 3 to prime the
// reply. What the cookbook has no exact rule for (images of unknown size, tool definitions
// rendered into the prompt) makes the total approximate.

#include <cstdint>
#include <string_view>

#include "api/token_estimate.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard {

class TokenTally {
 public:
  // OpenAI's image cost: a low-detail image, and a 1024x1024 one at high detail (85 + 4 tiles of
  // 170), the size assumed when it is not known.
  static constexpr int64_t kLowDetailImageTokens = 85;
  static constexpr int64_t kImageTokens = 765;

  // Null: no tokenizer for the backend's family; the estimate counts.
  explicit TokenTally(const tokenizer::Encoding* encoding) : encoding_(encoding) {}

  // Text the model reads.
  void text(std::string_view s) {
    if (encoding_) {
      tokens_ += static_cast<int64_t>(encoding_->count(s));
    } else {
      chars_ += token_estimate::codePoints(s);
    }
  }
  // A chat message's framing around its fields; `role` is read too.
  void message(std::string_view role) {
    if (!encoding_) return;
    tokens_ += 3;
    text(role);
  }
  // A message's "name" field, whose text is counted with text().
  void name() {
    if (encoding_) tokens_ += 1;
  }
  // The reply's priming, once per conversation.
  void reply() {
    if (encoding_) tokens_ += 3;
  }
  void image(bool lowDetail = false) {
    ++images_;
    if (encoding_) tokens_ += lowDetail ? kLowDetailImageTokens : kImageTokens;
    if (!lowDetail) approximate_ = true;
  }
  // Text whose rendering into the prompt is the provider's (tool definitions, tool calls): its
  // tokens are counted, but the total is approximate.
  void rendered(std::string_view s) {
    text(s);
    approximate_ = true;
  }

  int64_t total() const {
    if (encoding_) return tokens_;
    return token_estimate::tokens(chars_, images_);
  }
  // The x-switchyard-token-count value: "exact", "approximate" or "estimate".
  std::string_view kind() const {
    if (!encoding_) return "estimate";
    return approximate_ ? "approximate" : "exact";
  }
  const tokenizer::Encoding* encoding() const { return encoding_; }

 private:
  const tokenizer::Encoding* encoding_;
  int64_t tokens_ = 0;
  size_t chars_ = 0;
  int64_t images_ = 0;
  bool approximate_ = false;
};

}  // namespace switchyard
