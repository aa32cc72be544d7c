// Any bytes as a request body, for each endpoint: must answer a Result, never crash or leak. The
// scan must agree with a parsed tree: it accepts exactly the texts boost::json::parse accepts,
// the tree it builds on demand is that parse, what it read (model, stream, sampling parameters)
// is what the tree holds, and the model splice replaces exactly the tree's model.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/openai/parse_request.hpp"
#include "core/json_escape.hpp"

namespace {

bool sameNumber(const switchyard::RequestNumber& a, const switchyard::RequestNumber& b) {
  return a.type == b.type && a.i == b.i && (a.d == b.d || (a.d != a.d && b.d != b.d));
}

void checkScan(std::string_view text, const switchyard::ApiRequest& req) {
  boost::system::error_code ec;
  const auto tree = boost::json::parse(text, ec, {}, switchyard::requestParseOptions());
  if (ec || !tree.is_object() || req.body() != tree.as_object()) __builtin_trap();
  const auto& body = req.body();
  if (body.at("model").as_string() != req.model) __builtin_trap();
  if (req.endpoint != switchyard::Endpoint::kEmbeddings) {
    const auto* stream = body.if_contains("stream");
    if (req.stream != (stream && stream->is_bool() && stream->get_bool())) __builtin_trap();
  }
  const auto p = switchyard::readSamplingParameters(body);
  if (!sameNumber(p.maxTokens, req.parameters.maxTokens) ||
      !sameNumber(p.maxCompletionTokens, req.parameters.maxCompletionTokens) ||
      !sameNumber(p.temperature, req.parameters.temperature) ||
      !sameNumber(p.topP, req.parameters.topP)) {
    __builtin_trap();
  }
  for (auto key : switchyard::ApiRequest::kNotedMembers) {
    if (req.has(key) != body.contains(key)) __builtin_trap();
  }
}

void checkSplice(std::string_view text, const switchyard::ApiRequest& req) {
  if (req.rawBody.empty()) return;  // the adapter falls back to the tree: nothing to check
  if (req.rawBody != text) __builtin_trap();
  const auto span = req.modelSpan;
  boost::system::error_code ec;
  const auto found = boost::json::parse(text.substr(span.begin, span.end - span.begin), ec);
  if (ec || found != req.body().at("model")) __builtin_trap();
  std::string spliced(text.substr(0, span.begin));
  switchyard::appendJsonString(spliced, "upstream \"model\"\n");
  spliced.append(text.substr(span.end));
  auto reparsed = boost::json::parse(spliced, ec);
  if (ec || !reparsed.is_object()) __builtin_trap();
  auto expected = req.body();
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
    if (parsed->model.empty()) __builtin_trap();
    checkSplice(body, *parsed);
    checkScan(body, *parsed);
  } else if (parsed.error().status != 400 || parsed.error().message.empty()) {
    __builtin_trap();
  } else {
    // Refused as JSON exactly when the tree's parser refuses it.
    boost::system::error_code ec;
    boost::json::parse(body, ec, {}, switchyard::requestParseOptions());
    const bool syntax = parsed.error().message.find("could not parse") != std::string::npos;
    if (syntax != bool(ec)) __builtin_trap();
  }
  return 0;
}
