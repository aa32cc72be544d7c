#pragma once
// Work on JSON text itself, for the places where parsing into a tree and serializing it again
// would cost more than the answer: quoting one string, or finding where one member's value sits
// so that a pass-through provider can send the client's own bytes with only that value changed.

#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

// Appends `s` as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view s);

// Byte offsets of a value inside a JSON text: [begin, end).
struct JsonSpan {
  size_t begin = 0;
  size_t end = 0;
};

// Where the value of the top-level member `key` sits in `text`, a JSON object that already
// parsed. Nothing when the member is missing or appears more than once, or when any top-level
// key is written with escapes (which could spell `key` another way): callers then fall back to
// the parsed tree, which resolves those cases.
std::optional<JsonSpan> findTopLevelMember(std::string_view text, std::string_view key);

}  // namespace switchyard
