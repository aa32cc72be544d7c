#pragma once
// Events → the Responses API, streamed (SSE events, see responses_output.hpp) or whole (one
// Response object): a Responses client in front of a backend that does not speak the format.

#include "api/events/answer_encoder.hpp"
#include "api/events/stream_encoder.hpp"
#include "api/openai/responses_output.hpp"

namespace switchyard {

class ResponsesStreamEncoder final : public StreamEncoder {
 public:
  explicit ResponsesStreamEncoder(const ApiRequest& req) : assembler_(req) {}
  void onEvent(const StreamEvent& e) override { assembler_.onEvent(e, &out_); }
  void fail(const Error& e) override { assembler_.fail(e, &out_); }
  const ResponsesAssembler& assembler() const { return assembler_; }

 private:
  ResponsesAssembler assembler_;
};

class ResponsesAnswerEncoder final : public AnswerEncoder {
 public:
  explicit ResponsesAnswerEncoder(const ApiRequest& req) : assembler_(req) {}
  void onEvent(const StreamEvent& e) override { assembler_.onEvent(e, nullptr); }
  Result<std::string> body() override;
  const ResponsesAssembler& assembler() const { return assembler_; }

 private:
  ResponsesAssembler assembler_;
};

}  // namespace switchyard
