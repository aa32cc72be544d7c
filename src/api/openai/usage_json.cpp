#include "api/openai/usage_json.hpp"

#include <charconv>

namespace switchyard {

namespace {

void appendInt(std::string& out, int64_t n) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

}  // namespace

void appendOpenAiUsage(std::string& out, const Usage& u) {
  out.append(R"({"prompt_tokens":)");
  appendInt(out, u.promptTokens);
  out.append(R"(,"completion_tokens":)");
  appendInt(out, u.completionTokens);
  out.append(R"(,"total_tokens":)");
  appendInt(out, u.totalTokens);
  out.append(R"(,"prompt_tokens_details":{"cached_tokens":)");
  appendInt(out, u.cachedPromptTokens);
  if (u.cacheWriteTokens > 0) {
    out.append(R"(,"cache_creation_tokens":)");
    appendInt(out, u.cacheWriteTokens);
  }
  out.append(R"(},"completion_tokens_details":{"reasoning_tokens":)");
  appendInt(out, u.reasoningTokens);
  out.push_back('}');
  if (u.cacheWriteTokens > 0) {
    out.append(R"(,"cache_creation_input_tokens":)");
    appendInt(out, u.cacheWriteTokens);
    out.append(R"(,"cache_read_input_tokens":)");
    appendInt(out, u.cachedPromptTokens);
  }
  out.push_back('}');
}

}  // namespace switchyard
