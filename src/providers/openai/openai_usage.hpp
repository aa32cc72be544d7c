#pragma once
// OpenAI's `usage` object: prompt, completion and total tokens, cached prompt tokens and
// reasoning tokens, wherever a host puts them; and the object itself, for translators that
// answer in OpenAI's format.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "api/request.hpp"

namespace switchyard {

// Reads a parsed usage object (also the final stream chunk's) into Usage.
void readOpenAiUsage(const boost::json::value& usage, Usage& out);

// Finds a whole answer's top-level usage object and reads it without building a JSON tree of it
// or of the rest of the body; false when there is none.
bool scanOpenAiUsage(std::string_view body, Usage& out);

}  // namespace switchyard
