#include "providers/vertex/vertex_adapter.hpp"

#include "core/async.hpp"
#include "providers/vertex/vertex_auth.hpp"

namespace switchyard {

namespace {

std::string param(const Deployment& d, const std::string& name) {
  auto it = d.providerParams.find(name);
  return it == d.providerParams.end() ? std::string() : it->second;
}

}  // namespace

std::string vertexProject(const Deployment& d) { return param(d, "vertex_project"); }

std::string vertexLocation(const Deployment& d) {
  std::string location = param(d, "vertex_location");
  return location.empty() ? std::string("us-central1") : location;
}

std::string vertexCredentials(const Deployment& d) { return param(d, "vertex_credentials"); }

Result<std::string> VertexAdapter::modelResource(const Deployment& d) const {
  const std::string project = vertexProject(d);
  if (project.empty()) {
    return Error::make(ErrorClass::kUnavailable,
                       "Deployment " + d.id +
                           " has no Vertex AI project: set litellm_params.vertex_project or "
                           "VERTEXAI_PROJECT.",
                       {}, "vertex_project_missing");
  }
  const std::string location = vertexLocation(d);
  // Regional hosts serve only their own location; a mismatch would fail upstream obscurely.
  constexpr std::string_view kRegionalHost = "-aiplatform.googleapis.com";
  if (d.apiBase.host.ends_with(kRegionalHost) &&
      d.apiBase.host.substr(0, d.apiBase.host.size() - kRegionalHost.size()) != location) {
    return Error::make(ErrorClass::kUnavailable,
                       "Deployment " + d.id + " sends vertex_location '" + location + "' to " +
                           d.apiBase.host + ": set api_base to " + vertexDefaultApiBase(location) +
                           ".",
                       {}, "vertex_location_mismatch");
  }
  std::string path = d.apiBase.path;
  if (!path.ends_with("/v1") && !path.ends_with("/v1beta1")) path += "/v1";
  path += "/projects/" + project + "/locations/" + location + "/publishers/google/models/";
  path += googleModelId(d.upstreamModel);
  return path;
}

Task<Result<void>> VertexAdapter::addCredentials(const Deployment& d, UpstreamRequest& request,
                                                 UpstreamPool& pool) const {
  // An api_key is an access token issued elsewhere (gcloud auth print-access-token).
  if (!d.apiKey.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + d.apiKey);
    co_return Result<void>{};
  }
  const std::string credentials = vertexCredentials(d);
  if (credentials.empty()) {
    Error e = Error::make(ErrorClass::kUnauthorized,
                          "Deployment " + d.id +
                              " has no Vertex AI credentials: set litellm_params."
                              "vertex_credentials (service-account key file or JSON), "
                              "GOOGLE_APPLICATION_CREDENTIALS, or api_key (an access token).",
                          {}, "invalid_credentials");
    co_return e;
  }
  if (!d.vertexTokens) {
    // Only a deployment that did not go through server/runtime_builder lacks one.
    Error e =
        Error::make(ErrorClass::kInternal, "Deployment " + d.id + " has no Vertex AI token cache.");
    co_return e;
  }
  auto token = co_await d.vertexTokens->token(pool);
  if (!token) {
    Error e = token.error();
    co_return e;
  }
  request.headers.emplace_back("Authorization", "Bearer " + *token);
  co_return Result<void>{};
}

}  // namespace switchyard
