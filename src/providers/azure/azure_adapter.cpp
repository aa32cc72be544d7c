#include "providers/azure/azure_adapter.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace switchyard {

namespace {
constexpr std::string_view kDefaultApiVersion = "2024-10-21";
constexpr std::string_view kResponsesApiVersion = "2025-04-01-preview";
}  // namespace

std::string AzureAdapter::target(const ApiRequest& req, const Deployment& d) const {
  // {api_base}/openai/deployments/{deployment}/chat/completions?api-version=...
  std::string t = d.apiBase.path;
  if (t.find("/openai/deployments/") == std::string::npos) {
    t += "/openai/deployments/";
    t += boost::urls::encode(d.upstreamModel, boost::urls::unreserved_chars);
  }
  t += endpointPath(req.endpoint);
  t += "?api-version=";
  t += d.apiVersion.empty() ? kDefaultApiVersion : std::string_view(d.apiVersion);
  if (!d.apiBase.query.empty()) t += "&" + d.apiBase.query;
  return t;
}

std::string AzureAdapter::responsesTarget(const Deployment& d) const {
  std::string t = d.apiBase.path;
  if (const size_t at = t.find("/openai/deployments/"); at != std::string::npos) t.resize(at);
  t += "/openai/responses?api-version=";
  // The Responses API needs 2025-03-01-preview or later; older configured versions serve chat.
  t += d.apiVersion >= "2025-03-01" ? std::string_view(d.apiVersion)
                                    : std::string_view(kResponsesApiVersion);
  if (!d.apiBase.query.empty()) t += "&" + d.apiBase.query;
  return t;
}

bool AzureAdapter::acceptsStreamOptions(const Deployment& d) const {
  // Versions are dates ("2024-10-21", "2024-09-01-preview"): they compare as strings.
  return d.streamUsage && (d.apiVersion.empty() || d.apiVersion >= "2024-09-01");
}

void AzureAdapter::addAuth(const Deployment& d, UpstreamRequest& out) const {
  if (!d.apiKey.empty()) out.headers.emplace_back("api-key", d.apiKey);
}

}  // namespace switchyard
