#include "telemetry/span_record.hpp"

#include <algorithm>

namespace switchyard {

std::string_view SpanRecord::cut(std::string_view value) const {
  size_t n = std::min({value.size(), kMaxValueLength, kTextCapacity - textUsed});
  // A cut inside a multi-byte character would leave invalid UTF-8: drop the whole character.
  // (Nothing is cut when the value fits: value[n] would be past its end.)
  while (n > 0 && n < value.size() && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;
  return value.substr(0, n);
}

}  // namespace switchyard
