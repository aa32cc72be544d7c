#pragma once
// What a client receives from one decoded upstream answer, summarized from the OpenAI-format
// output (a chat.completion body or a chat.completion.chunk stream), so that every provider's
// answer can be checked with the same assertions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard::conformance {

struct DecodedToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // as sent: a JSON text once the call is complete
};

struct DecodedUsage {
  bool present = false;
  int64_t prompt = 0;
  int64_t completion = 0;
  int64_t total = 0;
  int64_t cached = 0;
  int64_t reasoning = 0;
};

struct DecodedAnswer {
  std::string raw;             // what the adapter produced: a body, or the client's SSE text
  std::optional<Error> error;  // the adapter failed (or classified an error body) with this
  std::string object;          // "chat.completion", "list", ... of a whole body
  std::string text;
  std::string reasoning;
  std::string refusal;
  std::vector<DecodedToolCall> toolCalls;
  std::vector<std::string> finishReasons;  // one per choice, or per finish chunk of a stream
  DecodedUsage usage;                      // as the output states it
  Usage recorded;                          // as the adapter recorded it for accounting
  std::optional<std::string> streamError;  // an in-band {"error": ...} chunk
  int doneCount = 0;                       // [DONE] events in a stream
  bool finished = false;                   // the stream translator said the upstream ended
  std::vector<std::string> problems;       // where the output breaks the OpenAI format
};

// Fill `answer` from the adapter's output; shape violations go to `answer.problems`.
void summarizeBody(DecodedAnswer& answer);
void summarizeStream(DecodedAnswer& answer);

}  // namespace switchyard::conformance
