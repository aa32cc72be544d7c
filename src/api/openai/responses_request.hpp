#pragma once
// Inbound OpenAI Responses API (POST /v1/responses): the request body decoded into the canonical
// (chat-completions-shaped) ApiRequest, so that every provider serves it through the events, and
// kept as the client wrote it for a Responses-native upstream (OpenAI, Azure OpenAI).

#include <boost/json/storage_ptr.hpp>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard {

// A /v1/responses body → ApiRequest{format kResponses, endpoint kChatCompletions, model, stream,
// body = the equivalent chat body, clientText = the body as it came (located by the adapter that
// sends it), clientEcho = the fields a Response object repeats}. Errors are OpenAI-style 400s
// naming the field's path ("input[1].content[0].image_url") in `param`.
//
// Mapping (docs/responses.md has the whole table):
// - instructions → a system message first; input messages keep their role (developer → system);
//   function_call items → the preceding assistant message's tool_calls; function_call_output →
//   tool messages; input_image → image_url parts; reasoning items are dropped.
// - function tools → chat tools; tool_choice → chat's; text.format json_schema / json_object →
//   response_format; reasoning.effort → reasoning_effort; max_output_tokens →
//   max_completion_tokens; temperature, top_p, parallel_tool_calls, user, service_tier as they are.
// - what chat cannot say (hosted tools, file inputs, item references, background, conversation,
//   prompt templates, unknown fields) is left out and noted in `untranslated`: the 400 every
//   backend but a Responses-native one answers with.
Result<ApiRequest> parseResponsesRequest(std::string_view body,
                                         boost::json::storage_ptr storage = {});

}  // namespace switchyard
