#pragma once
// OpenRouter's "middle-out" transform on an OpenAI chat conversation: messages are dropped from
// the middle until the conversation fits a token budget, then, if it still does not, the middle
// of its longest text is cut out. What is kept: every system / developer message, everything up
// to and including the first user message, and the last message with the tool calls it answers;
// an assistant message with tool calls goes together with their tool results, never apart.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "tokenizer/encoding.hpp"

namespace switchyard {

struct MiddleOutResult {
  int64_t tokensBefore = 0;  // the request's input tokens, before and after
  int64_t tokensAfter = 0;
  int64_t window = 0;
  size_t messagesRemoved = 0;
  bool textCut = false;  // a message's text had its middle cut out
  bool fits() const { return tokensAfter <= window; }
  int64_t removed() const { return tokensBefore - tokensAfter; }
};

// The text put where a message's middle was cut out.
inline constexpr std::string_view kMiddleOutMarker = "\n\n[... middle-out: text removed ...]\n\n";

// Shrinks the `messages` of a chat body until the body's input (the messages as OpenAI frames
// them, the reply's priming and the tool definitions, counted with `encoding`, null: the
// estimate) is at most `window` tokens; leaves a body that fits as it is.
MiddleOutResult middleOut(boost::json::object& body, int64_t window,
                          const tokenizer::Encoding* encoding);

}  // namespace switchyard
