#pragma once
// The guardrails' answer filter: restores the request's placeholders in the answer, then runs
// the answer-side guardrails, on each text of the answer (content, reasoning, refusal, tool-call
// arguments) as it streams, or whole. Texts are held back only as much as the restorer and the
// scanner need; any other event first releases what was held, so the order is kept. A block
// ends the answer with an error event (the client's in-stream error, or an error response for a
// whole answer) and drops whatever the upstream still sends.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stages/guardrails/guardrail_run.hpp"
#include "stages/guardrails/output_scanner.hpp"
#include "stages/guardrails/placeholder_restorer.hpp"
#include "stages/stage.hpp"

namespace switchyard {

class AnswerGuard : public AnswerFilter {
 public:
  explicit AnswerGuard(std::shared_ptr<GuardrailRun> run);
  void onEvent(const StreamEvent& e) override;

 private:
  struct Channel {
    StreamEvent::Kind kind;
    int32_t choice;
    int32_t index;
    std::optional<guardrails::PlaceholderRestorer> restorer;
    std::optional<guardrails::OutputScanner> scanner;
  };
  static bool isText(StreamEvent::Kind k);
  size_t channel(const StreamEvent& e);
  // Runs a piece (or, with final, the end) of a channel's text through both steps and sends
  // what is ready; false when it was blocked.
  bool pass(Channel& c, std::string_view piece, bool final);
  bool flushAll();
  void send(const Channel& c, std::string_view text);

  std::shared_ptr<GuardrailRun> run_;
  std::vector<Channel> channels_;
  // The channel whose text came last: the only one holding any back. kNone: none.
  static constexpr size_t kNone = size_t(-1);
  size_t current_ = kNone;
  bool blocked_ = false;
  Error blockError_;
  std::string restored_, released_;
};

}  // namespace switchyard
