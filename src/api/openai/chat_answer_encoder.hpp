#pragma once
// Events → an OpenAI chat.completion body: what an OpenAI client gets when the answer went
// through events (a stage watched it, or it was replayed).

#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "api/events/answer_encoder.hpp"

namespace switchyard {

class OpenAiChatAnswerEncoder final : public AnswerEncoder {
 public:
  void onEvent(const StreamEvent& e) override;
  Result<std::string> body() override;

 private:
  struct Call {
    std::string id;
    std::string name;
    std::string arguments;
    std::string signature;  // provider_specific_fields.thought_signature
  };
  struct Choice {
    std::string text;
    std::string reasoning;
    std::string refusal;
    boost::json::array thinkingBlocks;
    std::map<int32_t, Call> calls;
    std::string finish;
  };

  std::string id_;
  std::string model_;
  int64_t created_ = 0;
  std::map<int32_t, Choice> choices_;
  Usage usage_;
};

}  // namespace switchyard
