#pragma once
// The id and timestamp of an answer translated from a non-OpenAI upstream, in OpenAI's style.

#include <cstdint>
#include <string>

namespace switchyard::common {

// "chatcmpl-" followed by 24 random alphanumerics.
std::string newCompletionId();
int64_t unixNow();

}  // namespace switchyard::common
