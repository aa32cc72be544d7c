#pragma once
// Reading OpenAI message content the way every non-OpenAI translator needs it: its text, an
// image part's URL, and base64 data: URLs (the only inline media OpenAI's format has).

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::common {

// The text of an OpenAI message content: a string, or the text parts of an array joined.
std::string contentText(const boost::json::value& content);

// An image_url part's URL: image_url.url, or image_url itself when it is a string.
std::string_view imageUrl(const boost::json::object& part);

// data:<media type>;base64,<data> (RFC 2397) split in its parts, neither decoded.
struct DataUrl {
  // As written, parameters included ("text/plain;charset=utf-8"); may be empty.
  std::string_view mediaType;
  std::string_view data;
};
// nullopt when `url` is not a data: URL or its data is not marked base64.
std::optional<DataUrl> parseBase64DataUrl(std::string_view url);

}  // namespace switchyard::common
