#pragma once
// Inbound Anthropic Messages API (POST /v1/messages): the request body translated to the
// gateway's internal OpenAI chat shape, and the /v1/messages/count_tokens count.

#include <boost/json/storage_ptr.hpp>
#include <string>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard {

class TokenTally;

// A /v1/messages body → ApiRequest{format kAnthropic, endpoint kChatCompletions, model as given,
// stream, clientWantsUsage = stream (Anthropic streams always carry usage), body = the equivalent
// OpenAI chat body}. Errors are 400s whose message starts with the offending field's path in
// Anthropic's style ("messages.1.content.0.source: ...") and whose `param` is that path.
//
// An Anthropic upstream is sent the client's own bytes (`clientText`, the model's value replaced
// and the routing fields cut), so everything below concerns the other formats only.
//
// Mapping notes (what an OpenAI-format backend cannot take is rejected, not silently dropped):
// - thinking / redacted_thinking blocks in assistant history are dropped (OpenAI-format backends
//   reject or ignore reasoning in input messages); `thinking` itself stays in the body next to
//   the derived reasoning_effort, and so does `top_k`, for backends that understand them.
// - cache_control on system and message text blocks is kept on the OpenAI text parts (such
//   content stays an array); text-only content without it becomes a string (blocks joined
//   with "\n"). cache_control on tools is dropped.
// - server tools (web_search_..., bash_..., code_execution_...), block types, image and document
//   sources only Anthropic knows (file, PDF, search_result, server_tool_use, ...) are left out
//   of the translated body and noted in `untranslated`: the 400 any other upstream answers with.
// `storage` holds the translated body (a request arena, as for parseOpenAiRequest).
Result<ApiRequest> parseAnthropicRequest(std::string_view body,
                                         boost::json::storage_ptr storage = {});

// POST /v1/messages/count_tokens for backends that cannot count: counted by the gateway, with the
// backend family's tokenizer or as an estimate (TokenTally): system, message text, tool inputs and
// results, tool definitions and images. Answers {"input_tokens": N}.
Result<std::string> countMessagesTokens(std::string_view body, TokenTally& tally);

}  // namespace switchyard
