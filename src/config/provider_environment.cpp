// What a provider's own SDK would take from the environment, read once when the config is loaded:
// adapters then read only the deployment, so a request never calls getenv and a reload picks up
// a changed variable like any other setting.

#include "config/sections.hpp"

namespace switchyard::config_detail {

namespace {

void paramFromEnvironment(Deployment& d, const std::string& param, std::string_view variable,
                          ParseContext& ctx) {
  auto& value = d.providerParams[param];
  if (!value.empty()) return;
  if (auto env = ctx.getenv(variable)) value = *env;
  if (value.empty()) d.providerParams.erase(param);
}

void keyFromEnvironment(Deployment& d, std::string_view variable, ParseContext& ctx) {
  if (d.apiKey.empty()) d.apiKey = ctx.getenv(variable).value_or("");
}

}  // namespace

void applyProviderEnvironment(Deployment& d, ParseContext& ctx) {
  switch (d.format) {
    case WireFormat::kBedrock:
    case WireFormat::kSageMaker:
    case WireFormat::kSageMakerChat: {
      const auto& p = d.providerParams;
      // Keys come as a pair: one from the config and the other from the environment would sign
      // with a mismatched identity.
      if (!p.contains("aws_access_key_id") && !p.contains("aws_secret_access_key")) {
        paramFromEnvironment(d, "aws_access_key_id", "AWS_ACCESS_KEY_ID", ctx);
        paramFromEnvironment(d, "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", ctx);
        paramFromEnvironment(d, "aws_session_token", "AWS_SESSION_TOKEN", ctx);
      }
      if (!p.contains("aws_region_name") && !p.contains("region_name")) {
        paramFromEnvironment(d, "aws_region_name", "AWS_REGION", ctx);
        paramFromEnvironment(d, "aws_region_name", "AWS_DEFAULT_REGION", ctx);
      }
      // A Bedrock API key is a bearer token used when there are no AWS keys.
      if (d.format == WireFormat::kBedrock) keyFromEnvironment(d, "AWS_BEARER_TOKEN_BEDROCK", ctx);
      break;
    }
    case WireFormat::kVertex:
      paramFromEnvironment(d, "vertex_project", "VERTEXAI_PROJECT", ctx);
      paramFromEnvironment(d, "vertex_location", "VERTEXAI_LOCATION", ctx);
      paramFromEnvironment(d, "vertex_credentials", "GOOGLE_APPLICATION_CREDENTIALS", ctx);
      break;
    case WireFormat::kCohere:
      // COHERE_API_KEY, the provider's key variable, is read after this and wins; Cohere's own
      // SDK reads CO_API_KEY.
      keyFromEnvironment(d, "CO_API_KEY", ctx);
      break;
    default:
      // Cloudflare's OpenAI-compatible endpoint is under the account's URL.
      if (d.provider == "cloudflare") {
        paramFromEnvironment(d, "cloudflare_account_id", "CLOUDFLARE_ACCOUNT_ID", ctx);
      }
      break;
  }
}

}  // namespace switchyard::config_detail
