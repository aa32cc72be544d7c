// multipart/form-data request bodies (file uploads: image edits, audio transcriptions) as the
// JSON object the responders read: each field its text, each file {"filename", "content_type",
// "bytes", "wav_seconds"}. The mock is independent of the gateway's code, so it has its own small
// reader; tests assert through /mock/stats what the gateway forwarded.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

namespace switchyard::mock {

// nullopt when `contentType` is not multipart/form-data or the body is not well framed.
std::optional<boost::json::object> parseFormBody(std::string_view contentType,
                                                 std::string_view body);

}  // namespace switchyard::mock
