#include "providers/conformance/decode.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <random>

#include "api/openai/chat_stream_encoder.hpp"
#include "providers/adapter.hpp"
#include "support/openai_chunks.hpp"

namespace switchyard::conformance {
namespace {

namespace json = boost::json;

ApiRequest makeRequest(const RequestShape& shape, bool stream) {
  ApiRequest req;
  req.endpoint = shape.endpoint;
  req.model = "conformance-model";
  req.stream = stream;
  req.clientWantsUsage = stream;
  auto& body = req.editBody();
  body["model"] = req.model;
  if (shape.endpoint == Endpoint::kEmbeddings) {
    body["input"] = "hi";
    return req;
  }
  if (shape.endpoint == Endpoint::kCompletions) {
    body["prompt"] = "hi";
  } else {
    body["messages"] = json::array{json::object{{"role", "user"}, {"content", "hi"}}};
  }
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = json::object{{"include_usage", true}};
  }
  if (shape.jsonMode) body["response_format"] = json::object{{"type", "json_object"}};
  return req;
}

}  // namespace

DecodedAnswer decodeWhole(WireFormat format, const RequestShape& shape, std::string body) {
  const ApiRequest req = makeRequest(shape, false);
  DecodedAnswer a;
  auto out = adapterFor(format).translateResponse(req, std::move(body), a.recorded);
  if (!out) {
    a.error = out.error();
    return a;
  }
  a.raw = std::move(*out);
  summarizeBody(a);
  return a;
}

DecodedAnswer decodeStream(WireFormat format, const RequestShape& shape, std::string_view wire,
                           uint32_t seed) {
  const ApiRequest req = makeRequest(shape, true);
  const ProviderAdapter& adapter = adapterFor(format);
  // What an OpenAI client reads: the byte fast path where the upstream speaks OpenAI's format,
  // the provider's events encoded as chat chunks everywhere else.
  const auto passThrough = adapter.makeStreamPassThrough(req);
  const auto decoder = passThrough ? nullptr : adapter.makeStreamDecoder(req);
  DecodedAnswer a;
  OpenAiChatStreamEncoder encoder(req.clientWantsUsage);
  testing::UsageTap tap(a.recorded, encoder);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pieceSize(1, 97);
  for (size_t at = 0; at < wire.size();) {
    const size_t n = std::min(pieceSize(rng), wire.size() - at);
    auto ok = passThrough ? passThrough->onBytes(wire.substr(at, n), a.raw, a.recorded)
                          : decoder->onBytes(wire.substr(at, n), tap);
    a.raw += encoder.output();
    encoder.output().clear();
    if (!ok) {
      a.error = ok.error();
      break;
    }
    at += n;
  }
  a.finished = passThrough ? passThrough->finished() : decoder->finished();
  summarizeStream(a);
  return a;
}

DecodedAnswer decodeError(WireFormat format, int status, std::string_view body) {
  DecodedAnswer a;
  a.raw = body;
  a.error = adapterFor(format).classifyError(status, body, "");
  return a;
}

}  // namespace switchyard::conformance
