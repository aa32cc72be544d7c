#pragma once
// Google AI Studio's Gemini API: generateContent / streamGenerateContent / batchEmbedContents,
// key in x-goog-api-key. VertexAdapter (providers/vertex) reuses everything but URL and auth.

#include "providers/adapter.hpp"

namespace switchyard {

class GeminiAdapter : public ProviderAdapter {
 public:
  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  Error classifyError(int status, std::string_view body,
                      std::string_view retryAfter) const override;

 protected:
  // Path of the model resource; ":generateContent" and friends are appended to it.
  virtual Result<std::string> modelResource(const Deployment& d) const;
  virtual void addAuth(const Deployment& d, UpstreamRequest& out) const;
  // Vertex serves embeddings through :predict, Gemini through :batchEmbedContents.
  virtual bool embedsWithPredict() const { return false; }
};

// The model id as Google's URLs want it: without a "models/" prefix.
std::string_view googleModelId(std::string_view upstreamModel);

}  // namespace switchyard
