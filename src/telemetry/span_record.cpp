#include "telemetry/span_record.hpp"

#include <algorithm>
#include <cstring>

namespace switchyard {

SpanText SpanRecord::keepCut(std::string_view value) {
  size_t n = std::min({value.size(), kMaxValueLength, kTextCapacity - textUsed});
  // A cut inside a multi-byte character would leave invalid UTF-8: drop the whole character.
  while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;
  if (n > 0) std::memcpy(text + textUsed, value.data(), n);
  const SpanText kept{textUsed, uint16_t(n)};
  textUsed = uint16_t(textUsed + n);
  return kept;
}

}  // namespace switchyard
