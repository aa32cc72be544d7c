#include "api/openai/usage_json.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard {

namespace json = boost::json;

json::object openAiUsageJson(const Usage& u) {
  json::object promptDetails{{"cached_tokens", u.cachedPromptTokens}};
  if (u.cacheWriteTokens > 0) promptDetails["cache_creation_tokens"] = u.cacheWriteTokens;
  json::object out{
      {"prompt_tokens", u.promptTokens},
      {"completion_tokens", u.completionTokens},
      {"total_tokens", u.totalTokens},
      {"prompt_tokens_details", std::move(promptDetails)},
      {"completion_tokens_details", json::object{{"reasoning_tokens", u.reasoningTokens}}}};
  if (u.cacheWriteTokens > 0) {
    out["cache_creation_input_tokens"] = u.cacheWriteTokens;
    out["cache_read_input_tokens"] = u.cachedPromptTokens;
  }
  return out;
}

void appendOpenAiUsage(std::string& out, const Usage& u) {
  // Once per answer: the tree costs less than the code a second writer would be.
  out.append(json::serialize(openAiUsageJson(u)));
}

}  // namespace switchyard
