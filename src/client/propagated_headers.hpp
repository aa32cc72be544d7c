#pragma once
// The request's own context, sent upstream on every attempt whatever the provider: its id and its
// W3C trace context. Empty values are not sent.

#include <string_view>

namespace switchyard {

struct PropagatedHeaders {
  std::string_view requestId{};
  std::string_view traceparent{};
  std::string_view tracestate{};
};

}  // namespace switchyard
