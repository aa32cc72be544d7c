#pragma once
// Inbound Anthropic Messages API, answer side: the gateway's OpenAI-format answers (whole
// chat.completion bodies and chat.completion.chunk streams) translated to Anthropic's format.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/anthropic/anthropic_mapping.hpp"
#include "api/request.hpp"
#include "client/sse_parser.hpp"
#include "core/error.hpp"

namespace switchyard {

// chat.completion JSON → Anthropic Message JSON: thinking (reasoning_content), text (content or
// refusal) and tool_use (input parsed from the arguments) blocks, stop_reason, usage in
// Anthropic's split (input_tokens excludes cached tokens). `model` is the client's model name.
// Upstream bodies that are not a chat.completion, or tool arguments that are not a JSON object,
// are kBadUpstream errors.
Result<std::string> encodeAnthropicResponse(const ApiRequest& req, std::string_view openAiBody);

// One streamed answer: OpenAI chunk payloads in, Anthropic SSE events out ("event: X\ndata:
// {...}\n\n"). Usage: OpenAI reports it only at the end, so message_start carries zeros and
// message_delta carries the real input_tokens, output_tokens and cache counts (the Anthropic SDKs
// take message_delta's numbers as the final ones). No ping events.
class AnthropicStreamEncoder {
 public:
  explicit AnthropicStreamEncoder(const ApiRequest& req);

  // The data payload of one OpenAI SSE event ("[DONE]" included). Appends the Anthropic events
  // it produces (possibly none). A chunk that is not JSON is a kBadUpstream error (nothing is
  // appended; the caller then calls fail()). An upstream error chunk ({"error":{...}}) becomes
  // an Anthropic `error` event and ends the message.
  Result<void> onOpenAiEvent(std::string_view data, std::string& out);
  // Convenience: raw OpenAI SSE bytes (an adapter's translated output), split anywhere.
  Result<void> onOpenAiSse(std::string_view bytes, std::string& out);
  // True once "[DONE]" arrived (the Anthropic stream then ended with message_stop, or earlier
  // with an error event).
  bool finished() const { return finished_; }
  // An `error` event for a failure after the stream started; nothing when the message already
  // ended.
  void fail(const Error& e, std::string& out);

 private:
  enum class Block { kNone, kText, kThinking, kTool };

  void start(std::string_view upstreamId, std::string& out);
  void openBlock(Block kind, std::string& out);
  void closeBlock(std::string& out);
  void textDelta(std::string_view text, std::string& out);
  void thinkingDelta(std::string_view text, std::string& out);
  Result<void> toolDelta(const boost::json::value& call, std::string& out);
  void openToolBlock(std::string& out);
  void finish(std::string& out);
  void errorEvent(std::string_view type, std::string_view message, std::string& out);

  std::string model_;
  std::vector<std::string> stopSequences_;
  SseParser sse_;
  bool started_ = false;
  bool ended_ = false;  // message_stop or error sent: nothing more goes out
  bool finished_ = false;
  Block open_ = Block::kNone;
  int64_t nextIndex_ = 0;  // Anthropic index of the next block
  // The OpenAI tool call being streamed; its block opens once its name is known.
  int64_t toolIndex_ = -1;
  bool toolStarted_ = false;
  std::string toolId_;
  std::string toolName_;
  std::string pendingArguments_;
  int64_t toolCount_ = 0;
  std::string finishReason_;
  std::string matchedStop_;
  bool sawToolCall_ = false;
  bool sawRefusal_ = false;
  anthropic_map::AnthropicTokenCounts usage_;
};

}  // namespace switchyard
