// Replays every recorded provider answer through its provider's decoder and checks that the
// client receives well-formed OpenAI output (or a clean Error), whatever the provider.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "providers/conformance/catalog.hpp"
#include "providers/conformance/decode.hpp"
#include "providers/conformance/expectations.hpp"
#include "support/fixtures.hpp"

namespace switchyard::conformance {
namespace {

namespace json = boost::json;

bool isStream(const Fixture& f) { return f.kind == Kind::kStream || f.kind == Kind::kRawSse; }

DecodedAnswer decodeFixture(const Fixture& f, uint32_t seed = 7) {
  switch (f.kind) {
    case Kind::kWhole:
      return decodeWhole(f.format, f.request, f.upstreamBytes());
    case Kind::kErrorBody:
      return decodeError(f.format, f.status, f.upstreamBytes());
    case Kind::kStream:
    case Kind::kRawSse:
      break;
  }
  return decodeStream(f.format, f.request, f.upstreamBytes(), seed);
}

// Whether the recorded answer carries token counts: every provider's format has a "usage"
// object, Google's a "usageMetadata" one.
bool providerSentUsage(const Fixture& f) {
  static const std::regex kUsage(R"re("usage(Metadata)?"\s*:\s*\{)re");
  return std::regex_search(testing::readFixture(f.path()), kUsage);
}

// Non-zero prompt cache reads and reasoning token counts, by each provider's name for them.
const std::regex kCachedCounts(
    R"re("(cache_read_input_tokens|cacheReadInputTokens|cachedContentTokenCount|cached_tokens|prompt_cache_hit_tokens)"\s*:\s*[1-9])re");
const std::regex kReasoningCounts(R"re("(reasoning_tokens|thoughtsTokenCount)"\s*:\s*[1-9])re");

bool providerSent(const Fixture& f, const std::regex& count) {
  return std::regex_search(testing::readFixture(f.path()), count);
}

std::string expectedObject(const Fixture& f) {
  switch (f.request.endpoint) {
    case Endpoint::kEmbeddings:
      return "list";
    case Endpoint::kCompletions:
      return "text_completion";
    default:  // the recordings are of chat, completions and embeddings only
      break;
  }
  return "chat.completion";
}

std::vector<std::string> toolNames(const DecodedAnswer& a) {
  std::vector<std::string> names;
  for (const auto& call : a.toolCalls) names.push_back(call.name);
  return names;
}

void expectCleanError(const Error& e) {
  EXPECT_NE(e.cls, ErrorClass::kInternal) << e.message;
  EXPECT_GE(e.status, 400);
  EXPECT_FALSE(e.message.empty());
}

class ProviderConformance : public ::testing::TestWithParam<Fixture> {};

TEST_P(ProviderConformance, DecodesToWellFormedOpenAiOutput) {
  const Fixture& f = GetParam();
  if (const char* bug = knownBug(f)) {
    GTEST_SKIP() << f.path() << " through " << wireFormatName(f.format) << ": " << bug;
  }
  const DecodedAnswer a = decodeFixture(f);
  const Expectation* expected = expectationFor(f);
  if (a.error) {
    SCOPED_TRACE(a.error->message);
    expectCleanError(*a.error);
    // An answer that fails to decode must be one the table expects to fail.
    if (f.kind != Kind::kErrorBody) {
      ASSERT_TRUE(expected && expected->error) << "decoding failed: " << a.error->message;
    }
    if (expected && expected->error) {
      EXPECT_EQ(a.error->cls, *expected->error);
    }
    return;
  }
  SCOPED_TRACE(a.raw.substr(0, 2000));
  EXPECT_THAT(a.problems, ::testing::IsEmpty());
  if (isStream(f)) {
    EXPECT_EQ(a.doneCount, a.streamError || !f.complete ? 0 : 1);
    EXPECT_EQ(a.finished, f.complete);
  } else {
    EXPECT_EQ(a.object, expectedObject(f));
  }
  if (f.request.endpoint != Endpoint::kEmbeddings && !a.streamError) {
    EXPECT_EQ(a.finishReasons.size(), 1u);
  }
  if (!a.finishReasons.empty() && a.finishReasons.front() == "tool_calls") {
    EXPECT_FALSE(a.toolCalls.empty()) << "finish_reason tool_calls without a tool call";
  }
  for (const auto& call : a.toolCalls) {
    SCOPED_TRACE("tool call " + call.name);
    EXPECT_FALSE(call.id.empty());
    EXPECT_FALSE(call.name.empty());
    boost::system::error_code ec;
    const auto args = json::parse(call.arguments, ec);
    EXPECT_TRUE(!ec && args.is_object()) << "arguments: " << call.arguments;
  }
  if (providerSentUsage(f)) {
    EXPECT_TRUE(a.recorded.present);
    EXPECT_TRUE(a.usage.present);
    EXPECT_EQ(a.usage.prompt, a.recorded.promptTokens);
    EXPECT_EQ(a.usage.completion, a.recorded.completionTokens);
    EXPECT_GE(a.usage.total, a.usage.prompt + a.usage.completion);
    EXPECT_EQ(a.usage.cached, a.recorded.cachedPromptTokens);
    EXPECT_EQ(a.usage.reasoning, a.recorded.reasoningTokens);
    // Cohere's cached_tokens count raw tokens, not the billed ones its usage reports; the
    // translator leaves them out on purpose (cohere_response.cpp).
    if (f.format != WireFormat::kCohere && providerSent(f, kCachedCounts)) {
      EXPECT_GT(a.usage.cached, 0) << "the provider reported prompt cache reads";
    }
    if (providerSent(f, kReasoningCounts)) {
      EXPECT_GT(a.usage.reasoning, 0) << "the provider reported reasoning tokens";
    }
  }
  if (!expected) return;
  EXPECT_FALSE(expected->error) << "expected an Error, got an answer";
  if (!expected->finish.empty() && !a.finishReasons.empty()) {
    EXPECT_EQ(a.finishReasons.front(), expected->finish);
  }
  EXPECT_EQ(toolNames(a), expected->tools);
  EXPECT_THAT(a.text, ::testing::StartsWith(expected->textPrefix));
  EXPECT_THAT(a.refusal, ::testing::StartsWith(expected->refusalPrefix));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ProviderConformance, ::testing::ValuesIn(allFixtures()),
                         [](const auto& info) { return info.param.testName(); });

class StreamSplits : public ::testing::TestWithParam<Fixture> {};

std::vector<Fixture> streamFixtures() {
  auto fixtures = allFixtures();
  std::erase_if(fixtures, [](const Fixture& f) { return !isStream(f); });
  return fixtures;
}

// Where the network splits a stream changes nothing the client receives.
TEST_P(StreamSplits, ChangeNothingTheClientReceives) {
  const Fixture& f = GetParam();
  const DecodedAnswer a = decodeFixture(f, 7);
  const DecodedAnswer b = decodeFixture(f, 1234);
  ASSERT_EQ(a.error.has_value(), b.error.has_value());
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.reasoning, b.reasoning);
  EXPECT_EQ(a.refusal, b.refusal);
  ASSERT_EQ(a.toolCalls.size(), b.toolCalls.size());
  for (size_t i = 0; i < a.toolCalls.size(); ++i) {
    EXPECT_EQ(a.toolCalls[i].name, b.toolCalls[i].name);
    EXPECT_EQ(a.toolCalls[i].arguments, b.toolCalls[i].arguments);
  }
  EXPECT_EQ(a.finishReasons, b.finishReasons);
  EXPECT_EQ(a.usage.total, b.usage.total);
  EXPECT_EQ(a.doneCount, b.doneCount);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, StreamSplits, ::testing::ValuesIn(streamFixtures()),
                         [](const auto& info) { return info.param.testName(); });

class WholeAndStreamAgree : public ::testing::TestWithParam<FixturePair> {};

// The whole and streamed recordings of one exchange are separate calls: only what a model
// answers the same way twice is compared.
TEST_P(WholeAndStreamAgree, OnFinishReasonToolsAndText) {
  const auto& [wholeFixture, streamFixture] = GetParam();
  for (const Fixture* f : {&wholeFixture, &streamFixture}) {
    if (const char* bug = knownBug(*f)) GTEST_SKIP() << f->path() << ": " << bug;
  }
  const DecodedAnswer whole = decodeFixture(wholeFixture);
  const DecodedAnswer stream = decodeFixture(streamFixture);
  if (whole.error || stream.error) {
    EXPECT_EQ(whole.error.has_value(), stream.error.has_value());
    return;
  }
  EXPECT_EQ(whole.finishReasons, stream.finishReasons);
  EXPECT_EQ(toolNames(whole), toolNames(stream));
  EXPECT_EQ(whole.text.empty(), stream.text.empty());
  EXPECT_EQ(whole.reasoning.empty(), stream.reasoning.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, WholeAndStreamAgree, ::testing::ValuesIn(wholeAndStreamPairs()),
                         [](const auto& info) { return info.param.stream.testName(); });

TEST(ConformanceCatalog, NamesOnlyExistingFixtures) {
  EXPECT_THAT(staleCatalogEntries(), ::testing::IsEmpty());
}

}  // namespace
}  // namespace switchyard::conformance
