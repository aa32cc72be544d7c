#pragma once
// Server-Sent Events framing for what the gateway writes.

#include <string>
#include <string_view>

namespace switchyard {

// Appends one SSE event carrying `data` (which must not contain a blank line).
inline void appendSseData(std::string& out, std::string_view data) {
  out.append("data: ");
  out.append(data);
  out.append("\n\n");
}

// Appends one named SSE event ("event: NAME\ndata: DATA\n\n").
inline void appendSseEvent(std::string& out, std::string_view name, std::string_view data) {
  out.append("event: ").append(name).append("\ndata: ");
  out.append(data);
  out.append("\n\n");
}

}  // namespace switchyard
