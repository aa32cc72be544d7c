#pragma once
// Where a Bedrock deployment lives when api_base is not configured: the region from
// litellm_params (aws_region_name / region_name; the loader puts AWS_REGION / AWS_DEFAULT_REGION
// there when the config names none). Header-only so that the config loader (which does not link
// the adapters) can use it.

#include <map>
#include <string>
#include <string_view>

namespace switchyard::bedrock {

// Empty when the deployment names no region.
inline std::string configuredRegion(const std::map<std::string, std::string>& params) {
  for (const char* key : {"aws_region_name", "region_name"}) {
    if (auto it = params.find(key); it != params.end() && !it->second.empty()) return it->second;
  }
  return {};
}

// "https://bedrock-runtime.{region}.amazonaws.com"
inline std::string runtimeUrl(std::string_view region) {
  return "https://bedrock-runtime." + std::string(region) + ".amazonaws.com";
}

}  // namespace switchyard::bedrock
