#pragma once
// Where a Bedrock deployment lives when api_base is not configured: the region from
// litellm_params (aws_region_name / region_name) or the standard AWS environment variables.
// Header-only so that the config loader (which does not link the adapters) can use it.

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::bedrock {

using Getenv = std::function<std::optional<std::string>(std::string_view)>;

inline std::optional<std::string> processEnv(std::string_view name) {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// Empty when neither the deployment nor the environment names a region.
inline std::string configuredRegion(const std::map<std::string, std::string>& params,
                                    const Getenv& getenv) {
  for (const char* key : {"aws_region_name", "region_name"}) {
    if (auto it = params.find(key); it != params.end() && !it->second.empty()) return it->second;
  }
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto v = getenv(name)) return *v;
  }
  return {};
}

// "https://bedrock-runtime.{region}.amazonaws.com"
inline std::string runtimeUrl(std::string_view region) {
  return "https://bedrock-runtime." + std::string(region) + ".amazonaws.com";
}

}  // namespace switchyard::bedrock
