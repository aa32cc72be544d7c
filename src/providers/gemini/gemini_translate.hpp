#pragma once
// Google's generateContent wire format (Gemini API and Vertex AI share it): translation from
// OpenAI chat/embedding requests, back from Google's answers, and error classification. The
// adapters in gemini_adapter.hpp and vertex/ only add URLs and credentials around these.

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "providers/adapter.hpp"

namespace switchyard {

// The generateContent body for an OpenAI chat body. Parameters Google cannot honour are refused
// (400 naming the parameter) unless `dropParams`. `upstreamModel` (the deployment's model) says
// whether tool calls handed back without a thought signature need a stand-in (Gemini 3).
Result<boost::json::object> geminiChatRequest(const boost::json::object& body, bool dropParams,
                                              std::string_view upstreamModel = {});

// A whole GenerateContentResponse as an OpenAI chat.completion; records usage.
Result<std::string> geminiChatResponse(std::string_view body, std::string_view model, Usage& usage);

// usageMetadata → Usage (completion includes thinking tokens, as OpenAI counts reasoning).
void readGeminiUsage(const boost::json::object& usageMetadata, Usage& out);
// Google's finishReason as OpenAI's finish_reason.
std::string_view geminiFinishReason(std::string_view reason, bool calledTools);

// Streams of :streamGenerateContent?alt=sse. Google sends no [DONE]: the stream is complete once
// every candidate reported a finishReason (or the prompt was blocked), and kEnd is emitted then.
class GeminiStreamDecoder : public StreamDecoder {
 public:
  explicit GeminiStreamDecoder(std::string model);
  ~GeminiStreamDecoder() override;
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return finished_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool finished_ = false;
};

// Embeddings. Gemini: batchEmbedContents; Vertex: :predict (text-embedding and gemini-embedding
// models both answer it).
Result<boost::json::object> geminiEmbeddingRequest(const boost::json::object& body,
                                                   std::string_view model, bool dropParams);
Result<boost::json::object> vertexEmbeddingRequest(const boost::json::object& body,
                                                   bool dropParams);
// `inputChars` sizes the usage estimate for Gemini, which reports no token counts for embeddings.
// `base64`: the client asked for encoding_format "base64" (the openai SDKs' default).
Result<std::string> geminiEmbeddingResponse(std::string_view body, std::string_view model,
                                            size_t inputChars, bool base64, Usage& usage);
Result<std::string> vertexEmbeddingResponse(std::string_view body, std::string_view model,
                                            bool base64, Usage& usage);
// Characters of text in an OpenAI embeddings `input`.
size_t embeddingInputChars(const boost::json::object& body);

// Google's {"error":{"code","message","status","details"}} (also inside a one-element array, as
// streaming endpoints send it) → Error with the router's class.
Error classifyGoogleError(int status, std::string_view body, std::string_view retryAfter);

}  // namespace switchyard
