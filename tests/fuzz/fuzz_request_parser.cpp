// Any bytes as a request body, for each endpoint: must answer a Result, never crash or leak. For
// a body that parses, the model splice (api/json_text) must agree with the parsed tree: the text
// it would replace is the model the tree holds, and the spliced text parses to the same body
// with only the model changed.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/json_text.hpp"
#include "api/openai/parse_request.hpp"

namespace {

void checkSplice(std::string_view text, const boost::json::object& body) {
  const auto span = switchyard::findTopLevelMember(text, "model");
  if (!span) return;  // the adapter falls back to the tree: nothing to check
  boost::system::error_code ec;
  const auto found = boost::json::parse(text.substr(span->begin, span->end - span->begin), ec);
  if (ec || found != body.at("model")) __builtin_trap();
  std::string spliced(text.substr(0, span->begin));
  switchyard::appendJsonString(spliced, "upstream \"model\"\n");
  spliced.append(text.substr(span->end));
  auto reparsed = boost::json::parse(spliced, ec);
  if (ec || !reparsed.is_object()) __builtin_trap();
  auto expected = body;
  expected["model"] = "upstream \"model\"\n";
  if (reparsed.as_object() != expected) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto endpoint = static_cast<switchyard::Endpoint>(data[0] % 3);
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = switchyard::parseOpenAiRequest(endpoint, body);
  if (parsed) {
    // A parsed request always names a model and keeps its body.
    if (parsed->model.empty() || !parsed->body.contains("model")) __builtin_trap();
    checkSplice(body, parsed->body);
  } else if (parsed.error().status != 400 || parsed.error().message.empty()) {
    __builtin_trap();
  }
  return 0;
}
