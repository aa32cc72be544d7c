#pragma once
// Streams framed as lines (Ollama's NDJSON, the JSON lines SageMaker containers stream): bytes in
// any split become whole lines, the incomplete last one kept for the next bytes.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "providers/common/errors.hpp"

namespace switchyard::common {

// A longer line is not a stream chunk: the bound keeps a broken upstream from making a decoder
// buffer without end.
inline constexpr size_t kMaxStreamLineBytes = 16 * 1024 * 1024;

// Calls onLine(std::string_view) -> Result<void> for each complete line of `bytes` (without its
// "\n" or "\r\n"), after `pending`, which holds the incomplete rest afterwards. The first line
// that fails stops the rest.
template <class OnLine>
Result<void> feedLines(std::string& pending, std::string_view bytes, OnLine&& onLine) {
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      if (pending.size() + bytes.size() > kMaxStreamLineBytes) {
        return badUpstream("The upstream sent an oversized stream line.");
      }
      pending.append(bytes);
      return {};
    }
    std::string_view line = bytes.substr(0, newline);
    bytes.remove_prefix(newline + 1);
    if (!pending.empty()) {
      pending.append(line);
      line = pending;
    }
    if (line.ends_with('\r')) line.remove_suffix(1);
    Result<void> handled = onLine(line);
    pending.clear();
    if (!handled) return handled;
  }
  return {};
}

}  // namespace switchyard::common
