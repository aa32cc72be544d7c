#pragma once
// Vertex AI's Gemini models: Google's generateContent format (shared with GeminiAdapter) under
// project/location URLs, authenticated with an OAuth bearer token from a service account.

#include <string>
#include "providers/vertex/vertex_location.hpp"

#include "core/async.hpp"
#include "providers/gemini/gemini_adapter.hpp"

namespace switchyard {

class VertexAdapter : public GeminiAdapter {
 public:
  bool hasCredentialStep() const override { return true; }
  Task<Result<void>> addCredentials(const Deployment& d, UpstreamRequest& request,
                                    UpstreamPool& pool) const override;

 protected:
  Result<std::string> modelResource(const Deployment& d) const override;
  void addAuth(const Deployment&, UpstreamRequest&) const override {}
  bool embedsWithPredict() const override { return true; }
};

// vertex_project / vertex_location / vertex_credentials of a deployment; the loader filled them
// from the variables LiteLLM reads (VERTEXAI_PROJECT, VERTEXAI_LOCATION,
// GOOGLE_APPLICATION_CREDENTIALS) where the config has none.
std::string vertexProject(const Deployment& d);
std::string vertexLocation(const Deployment& d);  // "us-central1" when unset
std::string vertexCredentials(const Deployment& d);

}  // namespace switchyard
