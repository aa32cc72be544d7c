#pragma once
// Work on JSON text itself, for the places where building a tree and serializing it would cost
// more than the answer: quoting one string.

#include <string>
#include <string_view>

namespace switchyard {

// Appends `s` as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view s);

}  // namespace switchyard
