// The answer side: placeholders restored and answer guardrails applied to streamed events,
// with a block ending the answer in an error event.
#include <gtest/gtest.h>

#include "stages/guardrails/answer_guard.hpp"
#include "stages/guardrails/guardrail_test_util.hpp"

namespace switchyard {
namespace {

using Kind = StreamEvent::Kind;

struct Recorder : EventSink {
  std::string text;
  std::vector<Kind> kinds;
  std::string error;
  void onEvent(const StreamEvent& e) override {
    kinds.push_back(e.kind);
    if (e.kind == Kind::kText) text += e.text;
    if (e.kind == Kind::kError) error = e.error->message;
  }
};

std::shared_ptr<Snapshot> outputFilter() {
  return testing::guardedSnapshot(R"(
guardrails:
  - guardrail_name: out
    litellm_params:
      guardrail: litellm_content_filter
      mode: post_call
      patterns:
        - pattern_type: prebuilt
          pattern_name: email
          action: MASK
        - pattern_type: prebuilt
          pattern_name: aws_access_key
          action: BLOCK
)");
}

void stream(AnswerGuard& g, const std::vector<std::string>& pieces) {
  g.onEvent(StreamEvent::start("id", "m", 1));
  for (const auto& p : pieces) g.onEvent(StreamEvent::delta(Kind::kText, p));
  g.onEvent(StreamEvent::finish("stop"));
  g.onEvent(StreamEvent::end());
}

TEST(AnswerGuard, MasksOutputAcrossChunkSplits) {
  auto snap = outputFilter();
  ASSERT_TRUE(snap);
  const std::string text = "Reach me at carol@example.net, or later. " + std::string(100, '.');
  for (size_t cut = 0; cut <= text.size(); cut += 3) {
    auto run = std::make_shared<GuardrailRun>();
    run->output.push_back(&snap->guardrailSet->guardrails.front());
    AnswerGuard g(run);
    Recorder r;
    g.setNext(r);
    stream(g, {text.substr(0, cut), text.substr(cut)});
    ASSERT_EQ(r.text, "Reach me at [EMAIL_REDACTED], or later. " + std::string(100, '.'))
        << "cut " << cut;
    EXPECT_EQ(r.kinds.back(), Kind::kEnd);
  }
}

TEST(AnswerGuard, HoldsBackOnlyABoundedTail) {
  auto snap = outputFilter();
  auto run = std::make_shared<GuardrailRun>();
  run->output.push_back(&snap->guardrailSet->guardrails.front());
  AnswerGuard g(run);
  Recorder r;
  g.setNext(r);
  g.onEvent(StreamEvent::start("id", "m", 1));
  const std::string chunk(200, 'a');
  g.onEvent(StreamEvent::delta(Kind::kText, chunk));
  EXPECT_EQ(r.text.size(), 200 - guardrails::OutputScanner::kHoldBack);
}

TEST(AnswerGuard, BlocksMidStreamWithAnErrorEvent) {
  auto snap = outputFilter();
  auto run = std::make_shared<GuardrailRun>();
  run->output.push_back(&snap->guardrailSet->guardrails.front());
  AnswerGuard g(run);
  Recorder r;
  g.setNext(r);
  stream(g, {std::string(150, 'x') + " the key is AKIAIOS", "FODNN7EXAMPLE and more", " text"});
  EXPECT_EQ(r.error, "Content blocked: aws_access_key pattern detected (guardrail: out)");
  EXPECT_EQ(r.kinds.back(), Kind::kError);  // nothing after the error
  EXPECT_EQ(r.text.find("AKIA"), std::string::npos);
  ASSERT_EQ(run->reports.size(), 1u);
  EXPECT_EQ(run->summary(), "out:output:blocked:aws_access_key");
}

TEST(AnswerGuard, RestoresPlaceholdersThenChecks) {
  auto run = std::make_shared<GuardrailRun>();
  run->placeholderFor("EMAIL", "dan@example.com");
  AnswerGuard g(run);
  Recorder r;
  g.setNext(r);
  stream(g, {"Hi [EM", "AIL_", "1], bye"});
  EXPECT_EQ(r.text, "Hi dan@example.com, bye");
  // Tool-call arguments are restored too.
  Recorder r2;
  AnswerGuard g2(run);
  g2.setNext(r2);
  std::string args;
  struct Args : EventSink {
    std::string& out;
    explicit Args(std::string& o) : out(o) {}
    void onEvent(const StreamEvent& e) override {
      if (e.kind == Kind::kToolArguments) out += e.text;
    }
  } sink(args);
  g2.setNext(sink);
  g2.onEvent(StreamEvent::toolCall(0, "c1", "send"));
  g2.onEvent(StreamEvent::toolArguments(0, "{\"to\":\"[EMAIL"));
  g2.onEvent(StreamEvent::toolArguments(0, "_1]\"}"));
  g2.onEvent(StreamEvent::finish("tool_calls"));
  EXPECT_EQ(args, "{\"to\":\"dan@example.com\"}");
}

}  // namespace
}  // namespace switchyard
