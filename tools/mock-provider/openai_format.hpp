// Pieces of OpenAI's wire format shared by the responders: answers, error bodies, SSE events.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::mock {

// A whole (non-streamed) answer.
struct Reply {
  unsigned status = 200;
  std::string body;
  int retryAfterSeconds = 0;  // > 0: sent as retry-after
};

// A streamed answer as ready-to-send SSE events ("data: ...\n\n"), split where the server paces
// and cuts: `head` goes out with the headers, `content` one event per token (or tool-argument
// fragment), `tail` carries the finish chunk, the usage chunk and [DONE].
struct StreamPlan {
  std::string head;
  std::vector<std::string> content;
  std::string tail;
  std::string contentType;  // empty: text/event-stream (Bedrock streams binary event frames)
};

// One answer of a responder: a Reply (also every validation error), or a stream.
struct Answer {
  Reply reply;
  bool stream = false;
  StreamPlan plan;
};

// What the server decided for this request before the responder runs.
struct AnswerContext {
  std::string id;             // random suffix, unique per request
  int64_t created = 0;        // unix seconds
  std::string modelOverride;  // Azure deployment name, used when the body has no model
  int completionTokens = 16;
  const std::string* content = nullptr;  // exact answer text, if forced
  bool omitUsage = false;  // streams end without their token counts (RequestKnobs::omitUsage)
};

std::string errorBody(std::string_view message, std::string_view type, std::string_view param,
                      std::string_view code);  // empty param/code: null
Reply errorReply(unsigned status, std::string_view message, std::string_view type,
                 std::string_view param = {}, std::string_view code = {});
// The canned body of a forced or random error with this status, as OpenAI words it.
Reply statusReply(unsigned status, int retryAfterSeconds);
Reply invalidJsonReply();
Reply missingParamReply(std::string_view param);

std::string jsonQuote(std::string_view text);
// Appends "data: <payload>\n\n".
void appendEvent(std::string& out, std::string_view payload);
// Rough token count of text, like OpenAI's ~4 characters per token; at least 1.
int64_t approxTokens(size_t chars);
// Characters of the text in a message content (string or array of parts).
size_t contentChars(const boost::json::value& content);

// The answer's tokens: the forced content split at word starts, or the canned word cycle; at most
// `limit` tokens. `truncated` tells whether the limit cut the answer (finish_reason "length").
std::vector<std::string> answerTokens(const AnswerContext& ctx, int64_t limit, bool& truncated);
// max_tokens / max_completion_tokens of the request, or -1.
int64_t maxTokensOf(const boost::json::object& body);
// Whether stream_options.<name> is true.
bool streamOption(const boost::json::object& body, std::string_view name);

}  // namespace switchyard::mock
