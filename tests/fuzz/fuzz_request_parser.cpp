// Any bytes as a request body, for each endpoint: must answer a Result, never crash or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/openai/parse_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto endpoint = static_cast<switchyard::Endpoint>(data[0] % 3);
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = switchyard::parseOpenAiRequest(endpoint, body);
  if (parsed) {
    // A parsed request always names a model and keeps its body.
    if (parsed->model.empty() || !parsed->body.contains("model")) __builtin_trap();
  } else if (parsed.error().status != 400 || parsed.error().message.empty()) {
    __builtin_trap();
  }
  return 0;
}
