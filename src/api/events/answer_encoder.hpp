#pragma once
// A client format's side of a whole (non-streamed) answer: events in, one response body out.

#include <memory>
#include <optional>
#include <string>

#include "api/events/stream_event.hpp"
#include "api/request.hpp"

namespace switchyard {

class AnswerEncoder : public EventSink {
 public:
  // The body, once the events of one answer (through kEnd) went in; kBadUpstream when they do not
  // make an answer in this format (e.g. tool arguments that are not a JSON object).
  virtual Result<std::string> body() = 0;

 protected:
  // Set by kError: an answer that failed on its way (a guardrail blocked it) has no body, its
  // error is the response.
  std::optional<Error> failure_;
};

// The encoder for the format the client spoke (OpenAI chat.completion, Anthropic Message).
std::unique_ptr<AnswerEncoder> makeAnswerEncoder(const ApiRequest& req);

}  // namespace switchyard
