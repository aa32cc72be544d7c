// Any bytes as an HTTP/1.1 request head, a response head and a chunked body: nothing may crash,
// and the chunked decoder must give the same body whatever way its input is split.
#include <cstddef>
#include <cstdint>
#include <string>

#include "client/http_response.hpp"
#include "core/chunked_decoder.hpp"
#include "server/http_request.hpp"

namespace {

struct Decoded {
  bool ok = true;
  bool done = false;
  std::string body;
  bool operator==(const Decoded&) const = default;
};

Decoded decode(std::string_view bytes, size_t split) {
  switchyard::ChunkedDecoder decoder(1 << 16);
  Decoded d;
  std::string pending(bytes.substr(0, split));
  auto used = decoder.feed(pending, d.body);
  if (!used) return {false, false, {}};
  pending.erase(0, *used);
  pending.append(bytes.substr(split));
  used = decoder.feed(pending, d.body);
  if (!used) return {false, false, {}};
  d.done = decoder.done();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t split = data[0] % size;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  switchyard::HttpRequest request;
  if (switchyard::parseRequestHead(bytes, request)) {
    for (const auto& h : request.headers()) {
      if (h.name.empty() || h.name.data() < bytes.data() ||
          h.value.data() + h.value.size() > bytes.data() + bytes.size()) {
        __builtin_trap();
      }
    }
  }
  switchyard::ResponseHead response;
  (void)switchyard::parseResponseHead(bytes, response);

  const Decoded whole = decode(bytes, bytes.size());
  const Decoded cut = decode(bytes, std::min(split, bytes.size()));
  // A split inside a line may only delay the same verdict; completed bodies must agree.
  if (whole.ok && whole.done && cut.ok && !(whole == cut)) __builtin_trap();
  return 0;
}
