#include "routing/context_check.hpp"

#include <gtest/gtest.h>

#include <set>

#include "api/openai/parse_request.hpp"
#include "api/token_count.hpp"
#include "routing/attempt_planner.hpp"
#include "routing_test_util.hpp"
#include "stages/accounting/price_table.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard {
namespace {

using testing::addDeployment;

// "word word ... word": n tokens in OpenAI's encodings.
std::string words(int n) {
  std::string s = "word";
  for (int i = 1; i < n; ++i) s += " word";
  return s;
}

// A chat request whose user message is `n` words. Its body is parsed into a tree here, so that
// it no longer views the text it was read from.
ApiRequest chat(int n, std::string_view model = "chat") {
  const std::string text = R"({"model":")" + std::string(model) +
                           R"(","messages":[{"role":"user","content":")" + words(n) + R"("}]})";
  auto r = parseOpenAiRequest(Endpoint::kChatCompletions, text);
  EXPECT_TRUE(r) << r.error().message;
  (void)r->editBody();
  return std::move(*r);
}

std::shared_ptr<Deployment> withWindow(Snapshot& s, const std::string& group, const std::string& id,
                                       std::optional<int64_t> window) {
  auto d = addDeployment(s, group, id);
  d->upstreamModel = "gpt-4o";
  d->maxInputTokens = window;
  d->tokenizer = &tokenizer::o200kBase();
  return d;
}

struct Planned {
  std::vector<std::string> tried;
  std::optional<Error> error;
  int fallbacks = 0;
};

// Plans the request as the proxy handler does with a check; the first attempt succeeds.
Planned plan(const std::shared_ptr<Snapshot>& s, const ApiRequest& request) {
  FastRandom rng(7);
  const auto now = RouterClock::now();
  AttemptPlanner planner(s, request.model, nullptr, false, rng, now);
  ContextCheck check(request, nullptr);
  planner.checkContext(&check);
  Planned p;
  auto step = planner.next(now);
  if (step) {
    p.tried.push_back(step->deployment->id);
  } else {
    p.error = step.error();
  }
  p.fallbacks = planner.fallbacks();
  return p;
}

TEST(ContextWindow, ModelInfoThenMaxTokensThenThePriceData) {
  auto table = PriceTable::parse(R"({
    "gpt-4o": {"input_cost_per_token": 1e-6, "max_input_tokens": 128000, "max_tokens": 16384},
    "groq/llama-x": {"max_input_tokens": 8192, "mode": "chat"},
    "bad": {"max_input_tokens": "lots"}})");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->maxInputTokens("gpt-4o"), 128000);
  EXPECT_EQ(table->maxInputTokens("groq/llama-x"), 8192);  // no price: still a window
  EXPECT_EQ(table->maxInputTokens("bad"), std::nullopt);

  Deployment d;
  d.provider = "openai";
  d.upstreamModel = "gpt-4o";
  EXPECT_EQ(contextWindowFor(d, &*table), 128000);
  d.modelInfo["max_tokens"] = 4096;
  EXPECT_EQ(contextWindowFor(d, &*table), 4096);
  d.modelInfo["max_input_tokens"] = 2048;
  EXPECT_EQ(contextWindowFor(d, &*table), 2048);

  Deployment groq;
  groq.provider = "groq";
  groq.upstreamModel = "llama-x";  // found as provider/model
  EXPECT_EQ(contextWindowFor(groq, &*table), 8192);
  groq.upstreamModel = "unknown";
  EXPECT_EQ(contextWindowFor(groq, &*table), std::nullopt);
}

TEST(ContextWindow, ResolvedOnceForEveryDeploymentWithItsTokenizer) {
  Snapshot s;
  auto a = addDeployment(s, "a", "ctxres-a");
  a->upstreamModel = "gpt-4o-mini";
  auto b = addDeployment(s, "b", "ctxres-b");
  b->upstreamModel = "prod-deployment";
  b->modelInfo["base_model"] = "gpt-4";
  b->modelInfo["max_input_tokens"] = 8192;
  auto c = addDeployment(s, "c", "ctxres-c");
  c->upstreamModel = "claude-sonnet-4";
  s.prices = std::make_shared<const PriceTable>(
      *PriceTable::parse(R"({"gpt-4o-mini": {"input_cost_per_token": 1e-7,
                                             "max_input_tokens": 128000}})"));
  resolveContextWindows(s);
  EXPECT_EQ(s.deployments[0]->maxInputTokens, 128000);
  EXPECT_EQ(s.deployments[0]->tokenizer, &tokenizer::o200kBase());
  EXPECT_EQ(s.deployments[1]->maxInputTokens, 8192);
  EXPECT_EQ(s.deployments[1]->tokenizer, &tokenizer::cl100kBase());
  EXPECT_EQ(s.deployments[2]->maxInputTokens, std::nullopt);
  EXPECT_EQ(s.deployments[2]->tokenizer, nullptr);
  // The parsed snapshot's deployments are copied, not changed.
  EXPECT_EQ(a->maxInputTokens, std::nullopt);
}

TEST(ContextWindow, CountsExactlyWithTheDeploymentsTokenizerAndEstimatesOtherwise) {
  const ApiRequest r = chat(100);
  ContextCheck check(r, nullptr);
  TokenTally exact(&tokenizer::o200kBase());
  countRequestInput(r, exact);
  EXPECT_EQ(check.inputTokens(&tokenizer::o200kBase()), exact.total());
  EXPECT_EQ(exact.total(), 100 + 3 + 1 + 3);  // words, message framing, role, reply priming
  // 499 characters: 125 by the estimate.
  EXPECT_EQ(check.inputTokens(nullptr), 125);
}

TEST(ContextWindow, AnUnknownWindowAlwaysFitsAndAKnownOneIsCompared) {
  Snapshot s;
  auto known = withWindow(s, "chat", "ctxfit-known", 50);
  auto unknown = withWindow(s, "chat", "ctxfit-unknown", std::nullopt);
  const ApiRequest shortOne = chat(10);
  const ApiRequest longOne = chat(200);
  ContextCheck small(shortOne, nullptr);
  EXPECT_TRUE(small.fits(*known));
  ContextCheck big(longOne, nullptr);
  EXPECT_FALSE(big.fits(*known));
  EXPECT_TRUE(big.fits(*unknown));
  const Error e = big.exceeded("chat");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.cls, ErrorClass::kContextWindow);
  EXPECT_EQ(e.code, "context_length_exceeded");
  EXPECT_EQ(e.openAiType(), "invalid_request_error");
  EXPECT_NE(e.message.find("Context Window exceeded for given call"), std::string::npos);
  EXPECT_NE(e.message.find("Max Input Tokens=50, Got=207"), std::string::npos) << e.message;
}

TEST(ContextWindow, TheRouterSkipsDeploymentsThatCannotFit) {
  auto s = std::make_shared<Snapshot>();
  withWindow(*s, "chat", "ctxskip-small#0", 50);
  withWindow(*s, "chat", "ctxskip-large#1", 100000);
  for (int i = 0; i < 10; ++i) {
    const auto p = plan(s, chat(200));
    ASSERT_EQ(p.tried.size(), 1u);
    EXPECT_EQ(p.tried[0], "ctxskip-large#1");
    EXPECT_EQ(p.fallbacks, 0);
  }
  // A short request may go to either.
  std::set<std::string> seen;
  for (int i = 0; i < 40; ++i) {
    FastRandom rng(static_cast<uint64_t>(i));
    const ApiRequest r = chat(5);
    ContextCheck check(r, nullptr);
    AttemptPlanner planner(s, "chat", nullptr, false, rng, RouterClock::now());
    planner.checkContext(&check);
    seen.insert(planner.next(RouterClock::now())->deployment->id);
  }
  EXPECT_EQ(seen.size(), 2u);
}

TEST(ContextWindow, AGroupThatCannotFitGoesToItsContextWindowFallbackFirst) {
  auto s = std::make_shared<Snapshot>();
  withWindow(*s, "chat", "ctxfb-small#0", 50);
  withWindow(*s, "chat", "ctxfb-small#1", 60);
  withWindow(*s, "other", "ctxfb-other#0", 100000);
  withWindow(*s, "long", "ctxfb-long#0", 100000);
  s->router.fallbacks["chat"] = {"other"};
  s->router.contextWindowFallbacks["chat"] = {"long"};
  const auto p = plan(s, chat(200));
  ASSERT_FALSE(p.error);
  EXPECT_EQ(p.tried, std::vector<std::string>{"ctxfb-long#0"});
  EXPECT_EQ(p.fallbacks, 1);
}

TEST(ContextWindow, NothingFitsIsLiteLLMsContextWindowExceededError) {
  auto s = std::make_shared<Snapshot>();
  withWindow(*s, "chat", "ctxnone-small#0", 50);
  withWindow(*s, "long", "ctxnone-long#0", 100);
  s->router.contextWindowFallbacks["chat"] = {"long"};
  const auto p = plan(s, chat(200));
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->status, 400);
  EXPECT_EQ(p.error->code, "context_length_exceeded");
  EXPECT_NE(p.error->message.find("Model group=long"), std::string::npos) << p.error->message;
  EXPECT_NE(p.error->toAnthropicJson().find("\"invalid_request_error\""), std::string::npos);
}

TEST(ContextWindow, WildcardDeploymentsAreCheckedAgainstThePriceData) {
  auto s = std::make_shared<Snapshot>();
  WildcardRoute w;
  w.prefix = "openai";
  w.deploymentTemplate.provider = "openai";
  s->wildcards.push_back(w);
  auto table = PriceTable::parse(R"({"gpt-4": {"input_cost_per_token": 3e-5,
                                               "max_input_tokens": 100}})");
  const ApiRequest longOne = chat(200, "openai/gpt-4");
  ContextCheck check(longOne, &*table);
  FastRandom rng(1);
  auto sel = selectDeployments(s, "openai/gpt-4", rng, RouterClock::now(),
                               RouteQuery{false, nullptr, &check});
  ASSERT_TRUE(sel);
  EXPECT_EQ(sel->count, 0u);
  EXPECT_EQ(sel->tooLong, 1u);
  const ApiRequest shortOne = chat(10, "openai/gpt-4");
  ContextCheck fine(shortOne, &*table);
  sel = selectDeployments(s, "openai/gpt-4", rng, RouterClock::now(),
                          RouteQuery{false, nullptr, &fine});
  ASSERT_TRUE(sel);
  EXPECT_EQ(sel->count, 1u);
}

}  // namespace
}  // namespace switchyard
