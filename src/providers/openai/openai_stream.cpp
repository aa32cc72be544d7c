#include "providers/openai/openai_stream.hpp"

#include <boost/json.hpp>

#include "providers/openai/openai_adapter.hpp"

namespace switchyard {

namespace json = boost::json;

void appendSseData(std::string& out, std::string_view data) {
  out.append("data: ");
  out.append(data);
  out.append("\n\n");
}

Result<void> OpenAiStreamPassThrough::onEvent(std::string_view, std::string_view data,
                                              std::string& out, Usage& usage) {
  if (data == "[DONE]") {
    done_ = true;
    appendSseData(out, data);
    return {};
  }
  if (data.empty() || data.front() != '{' || data.back() != '}') {
    return Error::make(ErrorClass::kBadUpstream,
                       "The upstream sent a stream chunk that is not JSON.", {},
                       "bad_upstream_response");
  }
  // Only chunks that mention usage with a value are parsed; the rest are forwarded untouched,
  // which keeps the per-chunk cost at one substring search.
  const bool mayCarryUsage = data.find("\"usage\"") != std::string_view::npos &&
                             data.find("\"usage\":null") == std::string_view::npos;
  if (!mayCarryUsage) {
    appendSseData(out, data);
    return {};
  }
  boost::system::error_code ec;
  json::value chunk = json::parse(data, ec);
  if (ec || !chunk.is_object()) {
    return Error::make(ErrorClass::kBadUpstream,
                       "The upstream sent a stream chunk that is not JSON.", {},
                       "bad_upstream_response");
  }
  const auto& obj = chunk.get_object();
  const auto* u = obj.if_contains("usage");
  if (u && u->is_object()) {
    readOpenAiUsage(*u, usage);
  } else if (const auto* groq = obj.if_contains("x_groq"); groq && groq->is_object()) {
    // Groq reports stream usage inside its own x_groq object on the last chunk.
    if (const auto* gu = groq->get_object().if_contains("usage"); gu && gu->is_object()) {
      readOpenAiUsage(*gu, usage);
    }
  }
  const auto* choices = obj.if_contains("choices");
  const bool usageOnly =
      u && u->is_object() && choices && choices->is_array() && choices->get_array().empty();
  if (usageOnly && !clientWantsUsage_) return {};
  appendSseData(out, data);
  return {};
}

}  // namespace switchyard
