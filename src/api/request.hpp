#pragma once
// The one internal shape of an inbound request, whatever API format it arrived in.

#include <boost/json/object.hpp>
#include <string>

namespace switchyard {

enum class Endpoint { kChatCompletions, kCompletions, kEmbeddings };
enum class InboundFormat { kOpenAi, kAnthropic };

struct ApiRequest {
  ApiRequest() = default;
  // The body's values live in `storage` (a request arena on the hot path). Assigning an object
  // never changes an object's storage, so it has to be chosen here.
  explicit ApiRequest(boost::json::storage_ptr storage) : body(std::move(storage)) {}

  Endpoint endpoint = Endpoint::kChatCompletions;
  InboundFormat format = InboundFormat::kOpenAi;
  std::string model;  // as the client named it
  bool stream = false;
  bool clientWantsUsage = false;  // stream_options.include_usage as the client sent it
  boost::json::object body;       // the parsed body; change it only through editBody()
  // The body's text as the client sent it, for as long as `body` says exactly the same: a
  // pass-through provider then forwards these bytes with the model name spliced in, instead of
  // serializing `body` again. Empty when there is no such text or `body` was edited.
  std::string_view rawBody;

  boost::json::object& editBody() {
    rawBody = {};
    return body;
  }
};

// Token counts as the upstream reported them; absent fields stay zero.
struct Usage {
  bool present = false;
  int64_t promptTokens = 0;
  int64_t completionTokens = 0;
  int64_t totalTokens = 0;
  int64_t cachedPromptTokens = 0;  // read from the provider's prompt cache (part of prompt)
  int64_t cacheWriteTokens = 0;    // written to the prompt cache (part of prompt)
  int64_t reasoningTokens = 0;
};

std::string_view endpointPath(Endpoint e);  // "/chat/completions", ...

}  // namespace switchyard
