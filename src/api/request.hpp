#pragma once
// The one internal shape of an inbound request, whatever API format it arrived in.

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/parse_options.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace switchyard {

enum class Endpoint {
  kChatCompletions,
  kCompletions,
  kEmbeddings,
  // The media and ranking endpoints: forwarded to an OpenAI-compatible (or Cohere, for rerank)
  // upstream as the client sent them, the model name replaced; answered as the upstream answered.
  kModerations,
  kRerank,
  kImageGenerations,
  kImageEdits,  // multipart/form-data, as are the image variations and the audio uploads
  kImageVariations,
  kAudioSpeech,  // answered with audio bytes, forwarded as they arrive
  kAudioTranscriptions,
  kAudioTranslations,
};
// The client's API: OpenAI chat / completions / embeddings, Anthropic Messages, OpenAI Responses.
enum class InboundFormat { kOpenAi, kAnthropic, kResponses };

// Whether the endpoint's body is multipart/form-data (a file upload) rather than JSON.
constexpr bool takesForm(Endpoint e) {
  return e == Endpoint::kImageEdits || e == Endpoint::kImageVariations ||
         e == Endpoint::kAudioTranscriptions || e == Endpoint::kAudioTranslations;
}
// Whether the endpoint is one of the media and ranking endpoints: its answer is forwarded in
// the upstream's own content type (JSON, text, audio), never translated into chat events.
constexpr bool forwardsAnswer(Endpoint e) { return e >= Endpoint::kModerations; }

// What a media or ranking request asks for, in the units its price is given in: the budget
// estimates with it, and the cost falls back on it when the answer does not say.
struct RequestUnits {
  int64_t images = 0;       // images asked for (n, default 1)
  int64_t characters = 0;   // characters to speak (audio/speech input)
  double audioSeconds = 0;  // length of an uploaded audio file, when its format says (WAV)
};

// A number the client sent, as it was written: an integer or a real.
struct RequestNumber {
  enum class Type : uint8_t { kNone, kInt, kReal };
  Type type = Type::kNone;
  int64_t i = 0;
  double d = 0;
};

// Whether a real is a whole number an int64_t can hold (max_tokens: 16.0 counts as 16).
inline bool isWholeNumber(double d) { return std::trunc(d) == d && std::fabs(d) < 9.2e18; }

// The sampling parameters that observability and budgets read.
struct SamplingParameters {
  RequestNumber maxTokens;
  RequestNumber maxCompletionTokens;
  RequestNumber temperature;
  RequestNumber topP;
};

// The sampling parameters of a body that is already a tree (a translated one).
SamplingParameters readSamplingParameters(const boost::json::object& body);

// Byte offsets of a value inside a JSON text: [begin, end).
struct JsonSpan {
  size_t begin = 0;
  size_t end = 0;
};

// The client's body in its own format where that is not the canonical one (an Anthropic Messages
// body), for an upstream that speaks the same format: it is sent these bytes with the model's
// value replaced and `cut` left out (members the gateway owns), not a body encoded again from the
// canonical one, so that what the canonical model does not name survives. The decoder keeps the
// text; the adapter that sends it locates the model and the cuts (so that requests to other
// formats never pay for the scan).
struct ClientText {
  std::string_view text;      // empty: there is none
  JsonSpan model;             // the value of the body's one "model" member
  std::vector<JsonSpan> cut;  // in order, apart from each other and from `model`

  bool empty() const { return text.empty(); }
  // Whether `model` and `cut` are known (a model's value never starts a body).
  bool located() const { return model.end != 0; }
  // Appends the text with `upstreamModel` as the model's value to `out`.
  void spliceInto(std::string_view upstreamModel, std::string& out) const;
};

struct ApiRequest {
  ApiRequest() = default;
  // The body's values live in `storage` (a request arena on the hot path). Assigning an object
  // never changes an object's storage, so it has to be chosen here.
  explicit ApiRequest(boost::json::storage_ptr storage)
      : clientEcho(storage), body_(std::move(storage)) {}

  Endpoint endpoint = Endpoint::kChatCompletions;
  InboundFormat format = InboundFormat::kOpenAi;
  std::string model;  // as the client named it
  // The end user the body names (OpenAI's `user`, Anthropic's `metadata.user_id`): LiteLLM's
  // customer, whose spend and budget the gateway tracks. Empty when none.
  std::string endUser;
  bool stream = false;
  bool clientWantsUsage = false;  // stream_options.include_usage as the client sent it
  SamplingParameters parameters;  // as the client sent them

  // The body's text as the client sent it, for as long as the body says exactly the same and
  // the model's value can be replaced in it (`modelSpan`): a pass-through provider then forwards
  // these bytes with the model name spliced in, instead of serializing the body again. Empty
  // when there is no such text or the body was edited.
  std::string_view rawBody;
  JsonSpan modelSpan;

  // The same for a client whose format is not the canonical one (see ClientText); it is the text
  // of the session's buffer too. Empty once the body was edited, as rawBody.
  ClientText clientText;
  // What the client's body carries that the canonical body cannot say (an Anthropic server tool,
  // a block type only Anthropic knows): the canonical body leaves it out, so only an upstream sent
  // `clientText` can take the request. For any other, this is the 400 it answers with.
  std::optional<Error> untranslated;
  // The client's anthropic-version and anthropic-beta headers (views of the request's header
  // table): what its body means to an Anthropic upstream.
  std::string_view anthropicVersion;
  std::string_view anthropicBeta;
  // A Responses client: the request fields its Response object repeats (instructions, tools,
  // text, reasoning, metadata, ...), as the client gave them.
  boost::json::object clientEcho;

  // A multipart/form-data body (takesForm): the client's Content-Type with its boundary. Its
  // text is rawBody, and modelSpan the value of its "model" part; body() is an empty object.
  std::string_view formContentType;
  RequestUnits units;

  // The parsed body. A body that was only scanned (see parseOpenAiRequest) is parsed into a tree
  // here on first use: a pass-through request never needs one.
  const boost::json::object& body() const {
    if (!unparsed_.empty()) buildBody();
    return body_;
  }
  // The body to change; the client's texts no longer say the same.
  boost::json::object& editBody() {
    if (!unparsed_.empty()) buildBody();
    rawBody = {};
    clientText = {};
    return body_;
  }

  // Top-level members the request path asks about on every request. A scan notes whether the
  // body has them, so that asking needs no tree.
  static constexpr std::array<std::string_view, 4> kNotedMembers = {"stream_options", "models",
                                                                    "provider", "transforms"};
  // Whether the body has the top-level member `key`.
  bool has(std::string_view key) const;

  // A body known to be a valid JSON object, parsed on first use (it must outlive the request),
  // and which of kNotedMembers it has.
  void setUnparsedBody(std::string_view text, std::array<bool, kNotedMembers.size()> noted) {
    unparsed_ = text;
    noted_ = noted;
  }

 private:
  void buildBody() const;

  mutable boost::json::object body_;
  mutable std::string_view unparsed_;
  std::array<bool, kNotedMembers.size()> noted_{};
};

// Token counts as the upstream reported them; absent fields stay zero.
struct Usage {
  bool present = false;
  int64_t promptTokens = 0;
  int64_t completionTokens = 0;
  int64_t totalTokens = 0;
  int64_t cachedPromptTokens = 0;  // read from the provider's prompt cache (part of prompt)
  int64_t cacheWriteTokens = 0;    // written to the prompt cache (part of prompt)
  int64_t reasoningTokens = 0;
  // The media and ranking endpoints' units (see RequestUnits), as the answer reports them.
  int64_t images = 0;      // images made
  double seconds = 0;      // audio transcribed or translated
  int64_t characters = 0;  // characters spoken
  double searchUnits = 0;  // rerank: Cohere's billed search units (one query is one)
};

std::string_view endpointPath(Endpoint e);  // "/chat/completions", ...

// The canonical body's `user` (ApiRequest::endUser), for the decoders that build it as a tree.
std::string endUserOf(const boost::json::object& body);

// The parse options every request body is read with: the scan and the tree must agree.
boost::json::parse_options requestParseOptions();

}  // namespace switchyard
