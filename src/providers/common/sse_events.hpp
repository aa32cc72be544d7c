#pragma once
// Reading an upstream's SSE stream event by event, for every stream decoder and pass-through: the
// first event that fails stops the rest, and an event over the parser's limit is a bad answer.

#include <string_view>

#include "client/sse_parser.hpp"
#include "core/error.hpp"
#include "providers/common/errors.hpp"

namespace switchyard::common {

// Calls onEvent(const SseEvent&) -> Result<void> for each complete event in `bytes`.
template <class OnEvent>
Result<void> feedEvents(SseParser& sse, std::string_view bytes, OnEvent&& onEvent) {
  Result<void> result;
  const bool withinLimits = sse.feed(bytes, [&](const SseEvent& e) {
    if (result) result = onEvent(e);
  });
  if (!result) return result;
  if (!withinLimits) return badUpstream("The upstream sent an oversized stream event.");
  return {};
}

}  // namespace switchyard::common
