#include "api/request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>

#include "core/json_escape.hpp"

namespace switchyard {

namespace json = boost::json;

std::string_view endpointPath(Endpoint e) {
  switch (e) {
    case Endpoint::kChatCompletions:
      return "/chat/completions";
    case Endpoint::kCompletions:
      return "/completions";
    case Endpoint::kEmbeddings:
      return "/embeddings";
    case Endpoint::kModerations:
      return "/moderations";
    case Endpoint::kRerank:
      return "/rerank";
    case Endpoint::kImageGenerations:
      return "/images/generations";
    case Endpoint::kImageEdits:
      return "/images/edits";
    case Endpoint::kImageVariations:
      return "/images/variations";
    case Endpoint::kAudioSpeech:
      return "/audio/speech";
    case Endpoint::kAudioTranscriptions:
      return "/audio/transcriptions";
    case Endpoint::kAudioTranslations:
      return "/audio/translations";
  }
  return "/chat/completions";
}

json::parse_options requestParseOptions() {
  json::parse_options options;
  options.max_depth = 64;
  return options;
}

namespace {

RequestNumber numberOf(const json::value& v) {
  RequestNumber n;
  if (v.is_int64()) {
    n.type = RequestNumber::Type::kInt;
    n.i = v.get_int64();
  } else if (v.is_uint64()) {
    n.type = RequestNumber::Type::kInt;
    n.i = static_cast<int64_t>(v.get_uint64());
  } else if (v.is_double()) {
    n.type = RequestNumber::Type::kReal;
    n.d = v.get_double();
  }
  return n;
}

}  // namespace

SamplingParameters readSamplingParameters(const json::object& body) {
  SamplingParameters p;
  for (const auto& field : body) {
    const std::string_view k = field.key();
    if (k == "max_tokens") p.maxTokens = numberOf(field.value());
    if (k == "max_completion_tokens") p.maxCompletionTokens = numberOf(field.value());
    if (k == "temperature") p.temperature = numberOf(field.value());
    if (k == "top_p") p.topP = numberOf(field.value());
  }
  return p;
}

void ClientText::spliceInto(std::string_view upstreamModel, std::string& out) const {
  out.reserve(out.size() + text.size() + upstreamModel.size() + 2);
  size_t at = 0;
  bool modelDone = false;
  auto copyUpTo = [&](size_t end) { out.append(text.substr(at, end - at)); };
  auto spliceModel = [&] {
    copyUpTo(model.begin);
    appendJsonString(out, upstreamModel);
    at = model.end;
    modelDone = true;
  };
  for (const JsonSpan& c : cut) {
    if (!modelDone && model.begin < c.begin) spliceModel();
    copyUpTo(c.begin);
    at = c.end;
  }
  if (!modelDone) spliceModel();
  copyUpTo(text.size());
}

bool ApiRequest::has(std::string_view key) const {
  if (!unparsed_.empty()) {
    for (size_t i = 0; i < kNotedMembers.size(); ++i) {
      if (kNotedMembers[i] == key) return noted_[i];
    }
  }
  return body().contains(key);
}

void ApiRequest::buildBody() const {
  boost::system::error_code ec;
  json::value root = json::parse(unparsed_, ec, body_.storage(), requestParseOptions());
  // The text was scanned with the same parser and options: it cannot fail here. If it ever
  // did, serving a different body than the client sent would be worse than stopping.
  if (ec || !root.is_object()) std::abort();
  body_ = std::move(root.get_object());  // same storage: moved, not copied
  unparsed_ = {};
}

std::string endUserOf(const boost::json::object& body) {
  const auto* user = body.if_contains("user");
  return user && user->is_string() ? std::string(user->get_string()) : std::string();
}

}  // namespace switchyard
