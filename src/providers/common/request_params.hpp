#pragma once
// OpenAI request parameters as every translator reads them: which ones a provider cannot honour,
// and the stop sequences as a list.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <span>
#include <string_view>

#include "core/error.hpp"

namespace switchyard::common {

// The unsupported-parameter error for the first of `keys` the body sets (to anything but null,
// false or an empty array); none with drop_params.
Result<void> refuseUnsupported(const boost::json::object& body,
                               std::span<const std::string_view> keys, std::string_view provider,
                               bool dropParams);

// The chat request's `messages`, which must be a non-empty array (else a 400 naming it).
Result<const boost::json::array*> chatMessages(const boost::json::object& body);

// For a provider that answers with one choice: `n` above 1 refused, unless drop_params.
Result<void> refuseSeveralChoices(const boost::json::object& body, std::string_view provider,
                                  bool dropParams);

// `stop` as a list of sequences (a string is one); nullopt when absent or empty.
std::optional<boost::json::array> stopSequences(const boost::json::object& body);

}  // namespace switchyard::common
