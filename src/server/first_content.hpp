#pragma once
// Whether translated stream output (OpenAI or Anthropic SSE, as the client reads it) carries
// anything of the answer yet: text, reasoning, a tool call, a finish or the end. Role-only and
// empty opening events do not. Until then a stream with a time-to-first-token bound is held
// back, so an upstream that opens a stream and then stalls can still be replaced invisibly.

#include <string_view>

namespace switchyard {

inline bool carriesContent(std::string_view sse) {
  for (std::string_view marker : {"\"tool_calls\"", "\"finish_reason\":\"", "data: [DONE]",
                                  "content_block_delta", "message_stop"}) {
    if (sse.find(marker) != std::string_view::npos) return true;
  }
  // A non-empty string value for any of the text fields.
  for (std::string_view key : {"\"content\":\"", "\"reasoning_content\":\"", "\"text\":\""}) {
    for (size_t at = sse.find(key); at != std::string_view::npos; at = sse.find(key, at + 1)) {
      const size_t value = at + key.size();
      if (value < sse.size() && sse[value] != '"') return true;
    }
  }
  return false;
}

}  // namespace switchyard
