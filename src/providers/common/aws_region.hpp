#pragma once
// Where an AWS-signed deployment (Bedrock, SageMaker) lives when api_base is not configured: the
// region from litellm_params (aws_region_name / region_name; the loader puts AWS_REGION /
// AWS_DEFAULT_REGION there when the config names none). Header-only so that the config loader
// and the provider table (which do not link the adapters) can use it.

#include <map>
#include <string>
#include <string_view>

namespace switchyard::aws {

// Empty when the deployment names no region.
inline std::string configuredRegion(const std::map<std::string, std::string>& params) {
  for (const char* key : {"aws_region_name", "region_name"}) {
    if (auto it = params.find(key); it != params.end() && !it->second.empty()) return it->second;
  }
  return {};
}

// "https://{service host}.{region}.amazonaws.com", e.g. bedrock-runtime or runtime.sagemaker.
inline std::string regionalUrl(std::string_view serviceHost, std::string_view region) {
  return "https://" + std::string(serviceHost) + "." + std::string(region) + ".amazonaws.com";
}

}  // namespace switchyard::aws
