#pragma once
// JSON string escaping, one implementation for every writer of JSON text by hand: the model
// splice and the Anthropic translation (api), access-log lines and OTLP spans (telemetry).
// Quote, backslash and control characters are escaped (\n, \r and \t short, the others as
// \u00XX); everything else, UTF-8 included, is copied as it is.

#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard {

// The most bytes one input byte can take escaped.
constexpr size_t kMaxJsonEscapedGrowth = 6;

// Writes `text` escaped (no quotes) at `p`, which has room for kMaxJsonEscapedGrowth bytes per
// input byte; returns the end.
char* putJsonEscaped(char* p, std::string_view text);

// Appends `text` escaped, without quotes.
void appendJsonEscaped(std::string& out, std::string_view text);

// Appends `text` as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace switchyard
