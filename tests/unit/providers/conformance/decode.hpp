#pragma once
// Every call the conformance suite makes into a provider adapter goes through these three
// functions, so that a change of the translator interface is one change here.

#include <cstdint>
#include <string>
#include <string_view>

#include "api/request.hpp"
#include "providers/conformance/decoded_answer.hpp"
#include "providers/registry.hpp"

namespace switchyard::conformance {

// What the client asked for, as far as it changes how an answer is decoded.
struct RequestShape {
  Endpoint endpoint = Endpoint::kChatCompletions;
  bool jsonMode = false;  // response_format json_object (Anthropic answers with a JSON tool)
};

// A complete 2xx body through translateResponse.
DecodedAnswer decodeWhole(WireFormat format, const RequestShape& shape, std::string body);

// The upstream's streamed body bytes through a stream translator, in pieces of random sizes
// drawn from `seed` (translators must not depend on where the network splits the bytes). The
// client asked for usage (stream_options.include_usage).
DecodedAnswer decodeStream(WireFormat format, const RequestShape& shape, std::string_view wire,
                           uint32_t seed);

// A non-2xx body through classifyError.
DecodedAnswer decodeError(WireFormat format, int status, std::string_view body);

}  // namespace switchyard::conformance
