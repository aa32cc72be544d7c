#pragma once
// The canonical stream events: the contract between provider decoders (wire → events) and
// client-format encoders (events → the client's wire format). Translating A → B is decode-A →
// events → encode-B; no intermediate text.
//
// An event borrows its strings from whoever emits it: a sink that keeps them must copy. Events
// are delivered synchronously, one at a time, in answer order:
//   kUsage? kStart (kText | kReasoning | kReasoningSignature | kRedactedReasoning | kToolCall |
//   kToolArguments | kRefusal | kUsage)* kFinish kUsage? kEnd
// or, at any point after kStart, kError (the answer failed mid-way and ends there).

#include <cstdint>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard {

struct StreamEvent {
  enum class Kind : uint8_t {
    kStart,               // id, name = model, created
    kText,                // text
    kReasoning,           // text: reasoning (thinking) text
    kReasoningSignature,  // text: the signature that lets signed reasoning be handed back
    kRedactedReasoning,   // text: an opaque, encrypted reasoning block
    kToolCall,            // index, id, name: a tool call begins
    kToolArguments,       // index, text: a fragment of its JSON arguments
    kRefusal,             // text: the model declined (OpenAI's refusal)
    kUsage,               // usage: the token counts so far (the latest wins)
    kFinish,              // text: finish reason in OpenAI's words; matchedStop when known
    kEnd,                 // the answer is complete
    kError,               // error: the answer failed after it began
  };

  Kind kind = Kind::kText;
  int32_t choice = 0;  // which of n answers (OpenAI's choices[].index)
  int32_t index = 0;   // tool calls: position among the choice's calls
  std::string_view text;
  std::string_view id;
  std::string_view name;
  int64_t created = 0;
  std::string_view matchedStop;  // kFinish: the stop sequence that ended the answer, if known
  const Usage* usage = nullptr;
  const Error* error = nullptr;

  // Whether this event is part of the answer itself (text, reasoning, a tool call, a finish, the
  // end), not bookkeeping (start, usage) or an empty delta: what the first-token rules wait for
  // before the answer is committed to one deployment.
  bool carriesContent() const {
    switch (kind) {
      case Kind::kStart:
      case Kind::kUsage:
        return false;
      case Kind::kText:
      case Kind::kReasoning:
      case Kind::kReasoningSignature:
      case Kind::kRedactedReasoning:
      case Kind::kToolArguments:
      case Kind::kRefusal:
        return !text.empty();
      default:
        return true;
    }
  }

  static StreamEvent start(std::string_view id, std::string_view model, int64_t created) {
    StreamEvent e;
    e.kind = Kind::kStart;
    e.id = id;
    e.name = model;
    e.created = created;
    return e;
  }
  static StreamEvent delta(Kind kind, std::string_view text, int32_t choice = 0) {
    StreamEvent e;
    e.kind = kind;
    e.text = text;
    e.choice = choice;
    return e;
  }
  // `signature`, in `text`: the provider's opaque signature of the call (Gemini's
  // thoughtSignature), which the client must hand back with the call on the next turn; OpenAI
  // clients get it as LiteLLM shows it, tool_calls[].provider_specific_fields.thought_signature.
  static StreamEvent toolCall(int32_t index, std::string_view id, std::string_view name,
                              int32_t choice = 0, std::string_view signature = {}) {
    StreamEvent e;
    e.kind = Kind::kToolCall;
    e.index = index;
    e.id = id;
    e.name = name;
    e.text = signature;
    e.choice = choice;
    return e;
  }
  static StreamEvent toolArguments(int32_t index, std::string_view fragment, int32_t choice = 0) {
    StreamEvent e;
    e.kind = Kind::kToolArguments;
    e.index = index;
    e.text = fragment;
    e.choice = choice;
    return e;
  }
  static StreamEvent usageIs(const Usage& u) {
    StreamEvent e;
    e.kind = Kind::kUsage;
    e.usage = &u;
    return e;
  }
  static StreamEvent finish(std::string_view reason, int32_t choice = 0,
                            std::string_view matchedStop = {}) {
    StreamEvent e;
    e.kind = Kind::kFinish;
    e.text = reason;
    e.choice = choice;
    e.matchedStop = matchedStop;
    return e;
  }
  static StreamEvent end() {
    StreamEvent e;
    e.kind = Kind::kEnd;
    return e;
  }
  static StreamEvent failure(const Error& error) {
    StreamEvent e;
    e.kind = Kind::kError;
    e.error = &error;
    return e;
  }
};

// Where events go: a client-format encoder, a stage that watches or rewrites the answer, a
// recorder (a cache filler, a test).
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void onEvent(const StreamEvent& event) = 0;
};

}  // namespace switchyard
