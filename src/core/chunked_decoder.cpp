#include "core/chunked_decoder.hpp"
#include "core/hex.hpp"

#include <algorithm>

namespace switchyard {

namespace {

Error badChunk(std::string message) {
  return Error::make(ErrorClass::kBadRequest, "Malformed chunked body: " + std::move(message), {},
                     "bad_http");
}

}  // namespace

Result<size_t> ChunkedDecoder::feed(std::string_view in, std::string& out) {
  size_t used = 0;
  while (used < in.size() && state_ != State::kDone) {
    const std::string_view rest = in.substr(used);
    if (state_ == State::kData) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, rest.size()));
      out.append(rest.data(), n);
      used += n;
      remaining_ -= n;
      if (remaining_ == 0) state_ = State::kDataEnd;
      continue;
    }
    const size_t eol = rest.find("\r\n");
    if (eol == std::string_view::npos) {
      if (rest.size() > kMaxLine) return badChunk("line too long");
      break;  // wait for the rest of the line
    }
    const std::string_view line = rest.substr(0, eol);
    used += eol + 2;
    switch (state_) {
      case State::kSize: {
        uint64_t size = 0;
        size_t digits = 0;
        while (digits < line.size() && hexDigitValue(line[digits]) >= 0) {
          if (digits == 15) return badChunk("chunk size too large");
          size = size * 16 + static_cast<uint64_t>(hexDigitValue(line[digits]));
          ++digits;
        }
        if (digits == 0) return badChunk("missing chunk size");
        const std::string_view after = line.substr(digits);
        if (!after.empty() && after.front() != ';' && after.front() != ' ' &&
            after.front() != '\t') {
          return badChunk("bad chunk size");
        }
        if (size > limit_ || out.size() > limit_ - size) {
          return Error::make(
              ErrorClass::kPayloadTooLarge,
              "Request body is larger than the limit of " + std::to_string(limit_) + " bytes.", {},
              "request_too_large");
        }
        remaining_ = size;
        state_ = size == 0 ? State::kTrailer : State::kData;
        break;
      }
      case State::kDataEnd:
        if (!line.empty()) return badChunk("chunk data longer than its size");
        state_ = State::kSize;
        break;
      case State::kTrailer:
        if (line.empty()) state_ = State::kDone;  // trailer fields themselves are ignored
        break;
      case State::kData:
      case State::kDone:
        break;
    }
  }
  return used;
}

}  // namespace switchyard
