#pragma once
// Recorded ConverseStream fixtures hold one decoded event per line, `{"<event-type>": payload}`;
// these turn them back into the binary AWS event-stream frames Bedrock sends.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "providers/common/event_stream.hpp"

namespace switchyard::testing {

// A fixture line as the event's :event-type header and its payload.
inline std::pair<std::string, std::string> splitBedrockEvent(const std::string& line) {
  const auto obj = boost::json::parse(line).as_object();
  EXPECT_EQ(obj.size(), 1u) << line;
  return {std::string(obj.begin()->key()), boost::json::serialize(obj.begin()->value())};
}

inline std::string encodeBedrockEvents(const std::vector<std::string>& lines) {
  std::string wire;
  for (const auto& line : lines) {
    const auto [type, payload] = splitBedrockEvent(line);
    wire += encodeEventStreamMessage(
        {{":event-type", type}, {":content-type", "application/json"}, {":message-type", "event"}},
        payload);
  }
  return wire;
}

}  // namespace switchyard::testing
