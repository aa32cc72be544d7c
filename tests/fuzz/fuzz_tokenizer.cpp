// The tokenizer on arbitrary bytes (valid UTF-8 or not): both encodings must not crash, must give
// tokens whose bytes are the input again, and must count as many tokens as they encode.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tokenizer/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto* e :
       {&switchyard::tokenizer::o200kBase(), &switchyard::tokenizer::cl100kBase()}) {
    const auto ids = e->encode(text);
    std::string back;
    for (const uint32_t id : ids) back += e->token(id);
    if (back != text || e->count(text) != ids.size()) std::abort();
  }
  return 0;
}
