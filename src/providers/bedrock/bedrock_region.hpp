#pragma once
// Bedrock's runtime endpoint for a region (see common/aws_region.hpp for where the region comes
// from). Header-only for the provider table.

#include <string>
#include <string_view>

#include "providers/common/aws_region.hpp"

namespace switchyard::bedrock {

// "https://bedrock-runtime.{region}.amazonaws.com"
inline std::string runtimeUrl(std::string_view region) {
  return aws::regionalUrl("bedrock-runtime", region);
}

}  // namespace switchyard::bedrock
