#pragma once
// Parses and validates an OpenAI-format request body. Checks only what the gateway relies on
// or what would otherwise become a confusing upstream error; everything else passes through.

#include <boost/json/storage_ptr.hpp>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard {

// `storage` holds the parsed body; a request arena (monotonic resource) saves an allocation per
// JSON value on the hot path.
Result<ApiRequest> parseOpenAiRequest(Endpoint endpoint, std::string_view body,
                                      boost::json::storage_ptr storage = {});

}  // namespace switchyard
