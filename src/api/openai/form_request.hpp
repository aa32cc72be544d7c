#pragma once
// Parses an OpenAI-format multipart/form-data request (image edits and variations, audio
// transcriptions and translations): the model to route by, the fields the endpoint requires,
// and the units it is priced in. The body is forwarded as the client's bytes with the model's
// value replaced (ApiRequest::rawBody, modelSpan): nothing of it is copied or re-encoded.

#include <boost/json/storage_ptr.hpp>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard {

Result<ApiRequest> parseOpenAiFormRequest(Endpoint endpoint, std::string_view contentType,
                                          std::string_view body,
                                          boost::json::storage_ptr storage = {});

}  // namespace switchyard
