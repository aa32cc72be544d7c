#pragma once
// Decodes a chunked HTTP/1.1 body (a request's or an upstream answer's) as its bytes arrive (RFC
// 9112 section 7.1): a hex size line (extensions ignored), that many bytes and CRLF, repeated until
// a chunk of size 0, then optional trailer fields and a blank line.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

class ChunkedDecoder {
 public:
  // Bodies larger than `limit` decoded bytes fail with a 413 (kPayloadTooLarge).
  explicit ChunkedDecoder(size_t limit) : limit_(limit) {}

  // Consumes what it can of `in`, appending body bytes to `out`; returns how many bytes of `in`
  // it used. A line cut off at the end of `in` is left for the next call with more bytes.
  Result<size_t> feed(std::string_view in, std::string& out);
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kSize, kData, kDataEnd, kTrailer, kDone };
  static constexpr size_t kMaxLine = 4096;

  size_t limit_;
  State state_ = State::kSize;
  uint64_t remaining_ = 0;
};

}  // namespace switchyard
