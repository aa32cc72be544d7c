#pragma once
// The request's own context, sent upstream on every attempt whatever the provider: its id and its
// W3C trace context. Empty values are not sent.

#include <string_view>

namespace switchyard {

struct PropagatedHeaders {
  std::string_view requestId{};
  std::string_view traceparent{};
  std::string_view tracestate{};
  // The traceparent was written by this process (not the client's, passed on): it is known to
  // hold no line break.
  bool ownTraceparent = false;
};

}  // namespace switchyard
