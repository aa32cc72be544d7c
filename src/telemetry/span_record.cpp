#include "telemetry/span_record.hpp"

#include <algorithm>
#include <cstring>

#include "core/utf8_prefix.hpp"

namespace switchyard {

SpanText SpanRecord::keep(std::string_view value) {
  value = utf8Prefix(value, std::min(kMaxValueLength, kTextCapacity - textUsed));
  const size_t n = value.size();
  if (n > 0) std::memcpy(text + textUsed, value.data(), n);  // an empty view's data may be null
  const SpanText kept{textUsed, uint16_t(n)};
  textUsed = uint16_t(textUsed + n);
  return kept;
}

}  // namespace switchyard
