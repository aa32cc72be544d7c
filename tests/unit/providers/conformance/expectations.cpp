#include "providers/conformance/expectations.hpp"

#include <algorithm>

namespace switchyard::conformance {
namespace {

Expectation answer(std::string path, std::string finish, std::vector<std::string> tools = {},
                   std::string textPrefix = {}) {
  return {std::move(path), std::move(finish), std::move(tools), std::move(textPrefix), {}, {}};
}

Expectation refusal(std::string path, std::string refusalPrefix) {
  return {std::move(path), "content_filter", {}, {}, std::move(refusalPrefix), {}};
}

Expectation failure(std::string path, ErrorClass error) {
  return {std::move(path), {}, {}, {}, {}, error};
}

// Read off the recorded answers by hand, one or more per provider and kind of answer.
const std::vector<Expectation> kExpectations = {
    // Anthropic
    answer("anthropic/anthropic-text.json", "stop", {}, "Hello! I'm doing well, thanks for asking"),
    answer("anthropic/anthropic-text.chunks.txt", "stop", {},
           "Hello! I'm doing well, thank you for"),
    answer("anthropic/anthropic-clear-thinking.1.json", "stop", {}, "925 ÷ 5 = 185"),
    answer("anthropic/anthropic-tool-no-args.chunks.txt", "tool_calls", {"updateIssueList"},
           "I'll update the issue list for you."),
    answer("anthropic/anthropic-json-other-tool.1.json", "tool_calls", {"weather"}),
    answer("anthropic/anthropic-json-tool.1.json", "stop", {},
           R"({"elements":[{"location":"San Francisco")"),
    answer("anthropic/anthropic-tool-search-regex.1.json", "tool_calls", {"get_temp_data"},
           "I found a tool to get temperature data!"),
    // Server tools (web search, code execution, MCP, tool search) run at Anthropic: their blocks
    // are no tool calls for the client.
    answer("anthropic/anthropic-web-search-tool.1.json", "stop", {},
           "Let me search for more specific tech"),
    answer("anthropic/anthropic-code-execution-20250825.1.json", "stop", {},
           "I'll create a Python script to calcul"),
    answer("anthropic/anthropic-mcp.1.json", "stop", {}, "The echo tool responded back with"),
    answer("anthropic/anthropic-tool-search-bm25.1.chunks.txt", "tool_calls", {"get_weather"},
           "I'll search for a weather-related tool"),
    refusal("anthropic/anthropic-refusal.json", "This request triggered"),
    refusal("anthropic/anthropic-refusal.chunks.txt", "This request triggered"),
    answer("anthropic/duplicate-message-start.chunks.txt", "stop", {}, "Hello, World!"),
    failure("anthropic/spliced-message-start.chunks.txt", ErrorClass::kBadUpstream),
    // Amazon Bedrock
    answer("amazon-bedrock/amazon-bedrock-text.json", "stop", {},
           R"(Let me count the "r"s in "strawberry":)"),
    answer("amazon-bedrock/amazon-bedrock-tool-call.1.json", "tool_calls", {"bash"}),
    answer("amazon-bedrock/amazon-bedrock-tool-call.1.chunks.txt", "tool_calls", {"test-tool"}),
    answer("amazon-bedrock/amazon-bedrock-tool-no-args.json", "tool_calls", {"updateIssueList"},
           "I'll update the issue list for you."),
    answer("amazon-bedrock/amazon-bedrock-json-with-tools.1.chunks.txt", "tool_calls",
           {"tool-a", "tool-b", "json"}, "Multiple tools."),
    // Cohere
    answer("cohere/cohere-text.json", "stop", {}, "The capital of France is Paris."),
    answer("cohere/cohere-text.chunks.txt", "stop", {}, "The capital of France is Paris."),
    answer("cohere/cohere-max-tokens.json", "length", {}, "**The History of"),
    answer("cohere/cohere-tool-call.json", "tool_calls", {"weather", "cityAttractions"},
           "I will use the weather tool"),
    // Google (AI Studio and Vertex AI)
    answer("google/google-text.json", "stop", {}, "There are **3** r's in strawberry."),
    answer("google/google-structured-output.json", "stop", {}, R"({"name":"John Doe","age":30})"),
    answer("google/google-stream-tool-call-arguments.chunks.txt", "tool_calls",
           {"getWeather", "getWeather"}),
    answer("google/google-stream-no-args-tool-call.chunks.txt", "tool_calls",
           {"read_theme", "read_screen", "read_screen", "read_screen"}),
    answer("google/google-safety-finish.json", "content_filter"),
    answer("google/google-prompt-blocked.json", "content_filter"),
    failure("google/google-429-retry-info.json", ErrorClass::kRateLimited),
    failure("google/google-context-window-error.json", ErrorClass::kContextWindow),
    failure("google/google-invalid-key-error.json", ErrorClass::kUnauthorized),
    // OpenAI and OpenAI-compatible hosts
    answer("openai/openai-text.chunks.txt", "stop", {}, "**Holiday Name:** Harmony Day"),
    failure("openai/openai-error.1.json", ErrorClass::kRateLimited),
    failure("openai/reasoning-model-legacy-parameter-error.json", ErrorClass::kBadRequest),
    answer("azure/azure-model-router.1.chunks.txt", "stop", {}, "Capital of Denmark."),
    answer("deepseek/deepseek-text.json", "length", {}, "## **Holiday Name: Gratitude of"),
    answer("deepseek/deepseek-tool-call.json", "tool_calls", {"weather"}),
    answer("groq/groq-tool-call.chunks.txt", "tool_calls", {"weather"}),
    answer("mistral/mistral-text.chunks.txt", "stop", {}, "Hello, world! This is a test response."),
    answer("openai-compatible/xai-tool-call.json", "tool_calls", {"weather"}),
    answer("openai-compatible/anthropic-fallback-tool-call.sse", "tool_calls", {"read_file"},
           "Reading it."),
};

struct KnownBug {
  std::string path;
  WireFormat format;
  const char* bug;
};

// Found by this suite and not fixed yet: each skips its fixture with the reason.
const std::vector<KnownBug> kKnownBugs = {};

}  // namespace

const Expectation* expectationFor(const Fixture& f) {
  const auto it = std::find_if(kExpectations.begin(), kExpectations.end(),
                               [&](const Expectation& e) { return e.path == f.path(); });
  return it == kExpectations.end() ? nullptr : &*it;
}

const char* knownBug(const Fixture& f) {
  const auto it = std::find_if(kKnownBugs.begin(), kKnownBugs.end(), [&](const KnownBug& b) {
    return b.path == f.path() && b.format == f.format;
  });
  return it == kKnownBugs.end() ? nullptr : it->bug;
}

}  // namespace switchyard::conformance
