// Which of the mock's endpoints a request is for, from its method and path (every provider's URL
// shapes, Azure's deployment paths, the mock's own /mock/* controls), whether it carries the
// key the mock requires, and which responder answers it.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace switchyard::mock {

enum class Endpoint {
  kChat,
  kCompletions,
  kResponses,  // POST /v1/responses, Azure's /openai/responses
  // GET / DELETE /v1/responses/{id}, GET .../{id}/input_items, POST .../{id}/cancel
  kStoredResponse,
  kEmbeddings,
  kBedrock,               // POST /model/{id}/converse | converse-stream | invoke
  kCohereChat,            // POST /v2/chat
  kCohereEmbed,           // POST /v2/embed
  kOllamaChat,            // POST /api/chat (Ollama's native API, NDJSON streams)
  kOllamaEmbed,           // POST /api/embed
  kSageMaker,             // POST /endpoints/{name}/invocations | invocations-response-stream
  kAnthropicMessages,     // POST /v1/messages
  kAnthropicCountTokens,  // POST /v1/messages/count_tokens
  kGoogle,                // POST .../models/{model}:generateContent etc. (Gemini and Vertex URLs)
  kGoogleToken,           // POST /token (OAuth token for Vertex service accounts)
  kModerations,           // POST /v1/moderations
  kRerank,                // POST /v1/rerank, /rerank (Jina's OpenAI-compatible shape)
  kCohereRerank,          // POST /v2/rerank
  kImageGenerations,      // POST /v1/images/generations
  kImageEdits,            // POST /v1/images/edits (multipart)
  kImageVariations,       // POST /v1/images/variations (multipart)
  kSpeech,                // POST /v1/audio/speech
  kTranscriptions,        // POST /v1/audio/transcriptions (multipart)
  kTranslations,          // POST /v1/audio/translations (multipart)
  kModels,
  kModel,
  kStats,
  kReset,
  kFaults,
  kNotFound
};

struct Route {
  Endpoint endpoint = Endpoint::kNotFound;
  std::string deployment;    // Azure: /openai/deployments/{deployment}/...
  std::string modelId;       // GET /v1/models/{id}
  std::string bedrockModel;  // POST /model/{id}/{action}
  std::string bedrockAction;
  bool sageMakerStream = false;  // invocations-response-stream
  // kStoredResponse: the id, the action ("", "input_items", "cancel") and the method.
  std::string responseId;
  std::string responseAction;
  boost::beast::http::verb method = boost::beast::http::verb::unknown;
};

Route route(boost::beast::http::verb method, std::string_view target);

// The key in api-key, x-api-key, x-goog-api-key or a bearer Authorization header.
bool authorized(const boost::beast::http::fields& headers, const std::string& key);

// The answer of a model endpoint (not the /mock/* controls nor the token endpoint) to a
// request whose body is a JSON object (an empty one for GETs).
Answer answerFor(const Route& r, std::string_view target, const boost::beast::http::fields& headers,
                 const boost::json::object& body, const AnswerContext& ctx);

}  // namespace switchyard::mock
