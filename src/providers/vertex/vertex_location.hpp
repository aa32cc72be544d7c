#pragma once
// Where a Vertex AI location's API lives. Header-only so that the config loader (which does not
// link the adapters) picks the same host the adapter expects.

#include <string>
#include <string_view>

namespace switchyard {

// https://{location}-aiplatform.googleapis.com, or https://aiplatform.googleapis.com for "global".
inline std::string vertexDefaultApiBase(std::string_view location) {
  if (location.empty() || location == "global") return "https://aiplatform.googleapis.com";
  return "https://" + std::string(location) + "-aiplatform.googleapis.com";
}

}  // namespace switchyard
