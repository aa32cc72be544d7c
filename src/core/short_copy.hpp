#pragma once
// Copies a few bytes without a call: the short strings a span record keeps (model names, ids,
// host names) cost more in the call to memcpy and its size dispatch than in the copy. Up to 32
// bytes are moved as two pieces that may overlap, reading and writing only inside the n bytes;
// longer copies go to memcpy.

#include <cstdint>
#include <cstring>

namespace switchyard {

inline void copyShort(char* to, const char* from, size_t n) {
  // Two pieces of `size` bytes, the second ending at n: together they cover n in [size, 2*size].
  const auto twoPieces = [&](auto piece) {
    decltype(piece) head, tail;
    std::memcpy(&head, from, sizeof head);
    std::memcpy(&tail, from + n - sizeof tail, sizeof tail);
    std::memcpy(to, &head, sizeof head);
    std::memcpy(to + n - sizeof tail, &tail, sizeof tail);
  };
  struct Bytes16 {
    uint64_t a, b;
  };
  if (n > 32) {
    std::memcpy(to, from, n);
  } else if (n >= 16) {
    twoPieces(Bytes16{});
  } else if (n >= 8) {
    twoPieces(uint64_t{});
  } else if (n >= 4) {
    twoPieces(uint32_t{});
  } else if (n >= 2) {
    twoPieces(uint16_t{});
  } else if (n == 1) {
    *to = *from;
  }
}

}  // namespace switchyard
