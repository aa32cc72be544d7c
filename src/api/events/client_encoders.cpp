#include "api/events/stream_encoder.hpp"

#include "api/anthropic/messages_response.hpp"
#include "api/anthropic/messages_stream_encoder.hpp"
#include "api/events/answer_encoder.hpp"
#include "api/openai/chat_answer_encoder.hpp"
#include "api/openai/chat_stream_encoder.hpp"
#include "api/openai/responses_encoders.hpp"

namespace switchyard {

std::unique_ptr<StreamEncoder> makeStreamEncoder(const ApiRequest& req) {
  if (req.format == InboundFormat::kAnthropic) {
    return std::make_unique<AnthropicStreamEncoder>(req);
  }
  if (req.format == InboundFormat::kResponses) return std::make_unique<ResponsesStreamEncoder>(req);
  return std::make_unique<OpenAiChatStreamEncoder>(req.clientWantsUsage);
}

std::unique_ptr<AnswerEncoder> makeAnswerEncoder(const ApiRequest& req) {
  if (req.format == InboundFormat::kAnthropic) {
    return std::make_unique<AnthropicAnswerEncoder>(req);
  }
  if (req.format == InboundFormat::kResponses) return std::make_unique<ResponsesAnswerEncoder>(req);
  return std::make_unique<OpenAiChatAnswerEncoder>();
}

}  // namespace switchyard
