// Any bytes in any split as an upstream event stream: the events must not depend on where the
// bytes were split, and nothing may crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "client/sse_parser.hpp"

namespace {
std::vector<std::string> parse(std::string_view bytes, size_t split) {
  switchyard::SseParser parser(1 << 16);
  std::vector<std::string> out;
  auto collect = [&](const switchyard::SseEvent& e) {
    out.emplace_back(std::string(e.event) + "\x1f" + std::string(e.data));
  };
  bool ok = parser.feed(bytes.substr(0, split), collect);
  if (ok) ok = parser.feed(bytes.substr(split), collect);
  if (!ok) out.emplace_back("<too large>");
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t split = data[0] % size;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto whole = parse(bytes, bytes.size());
  const auto cut = parse(bytes, std::min(split, bytes.size()));
  // Oversize detection may trigger at a different point, but complete events must agree.
  if (whole.empty() || whole.back() != "<too large>") {
    if (whole != cut) __builtin_trap();
  }
  return 0;
}
