#include "tools/mock-provider/mock_routes.hpp"

#include "tools/mock-provider/anthropic_responder.hpp"
#include "tools/mock-provider/bedrock_responder.hpp"
#include "tools/mock-provider/chat_responder.hpp"
#include "tools/mock-provider/cohere_responder.hpp"
#include "tools/mock-provider/completion_responder.hpp"
#include "tools/mock-provider/embeddings.hpp"
#include "tools/mock-provider/gemini_responder.hpp"
#include "tools/mock-provider/media_responder.hpp"
#include "tools/mock-provider/models.hpp"
#include "tools/mock-provider/ollama_responder.hpp"
#include "tools/mock-provider/responses_responder.hpp"
#include "tools/mock-provider/sagemaker_responder.hpp"

#include <boost/beast/core/string.hpp>

namespace switchyard::mock {
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

Route route(http::verb method, std::string_view target) {
  Route r;
  std::string_view path = target.substr(0, target.find('?'));
  if (method == http::verb::post && parseBedrockPath(path, r.bedrockModel, r.bedrockAction)) {
    r.endpoint = Endpoint::kBedrock;
    return r;
  }
  if (method == http::verb::post && (isGooglePath(path) || path == "/token")) {
    r.endpoint = path == "/token" ? Endpoint::kGoogleToken : Endpoint::kGoogle;
    return r;
  }
  if (method == http::verb::post && (path == "/v2/rerank" || path == "/rerank")) {
    r.endpoint = path == "/v2/rerank" ? Endpoint::kCohereRerank : Endpoint::kRerank;
    return r;
  }
  if (method == http::verb::post && (path == "/api/chat" || path == "/api/embed")) {
    r.endpoint = path == "/api/chat" ? Endpoint::kOllamaChat : Endpoint::kOllamaEmbed;
    return r;
  }
  if (method == http::verb::post && parseSageMakerPath(path, r.sageMakerStream)) {
    r.endpoint = Endpoint::kSageMaker;
    return r;
  }
  if (method == http::verb::post && (path == "/v2/chat" || path == "/v2/embed")) {
    r.endpoint = path == "/v2/chat" ? Endpoint::kCohereChat : Endpoint::kCohereEmbed;
    return r;
  }
  if (path.starts_with("/v1/")) {
    path.remove_prefix(3);
  } else if (path.starts_with("/openai/deployments/")) {
    path.remove_prefix(std::string_view("/openai/deployments/").size());
    const size_t slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0) return r;
    r.deployment = std::string(path.substr(0, slash));
    path.remove_prefix(slash);
  } else if (path.starts_with("/openai/")) {
    path.remove_prefix(7);
  }
  const bool post = method == http::verb::post;
  const bool get = method == http::verb::get;
  if (post && path == "/chat/completions") {
    r.endpoint = Endpoint::kChat;
  } else if (post && path == "/responses") {
    r.endpoint = Endpoint::kResponses;
  } else if (path.starts_with("/responses/") && path.size() > 11) {
    // /responses/{id}[/input_items | /cancel]
    std::string_view rest = path.substr(11);
    const size_t slash = rest.find('/');
    r.responseId = std::string(rest.substr(0, slash));
    r.responseAction = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
    r.method = method;
    const bool known = (r.responseAction.empty() && (get || method == http::verb::delete_)) ||
                       (r.responseAction == "input_items" && get) ||
                       (r.responseAction == "cancel" && post);
    if (known) r.endpoint = Endpoint::kStoredResponse;
  } else if (post && path == "/completions") {
    r.endpoint = Endpoint::kCompletions;
  } else if (post && path == "/embeddings") {
    r.endpoint = Endpoint::kEmbeddings;
  } else if (post && path == "/messages") {
    r.endpoint = Endpoint::kAnthropicMessages;
  } else if (post && path == "/messages/count_tokens") {
    r.endpoint = Endpoint::kAnthropicCountTokens;
  } else if (post && path == "/moderations") {
    r.endpoint = Endpoint::kModerations;
  } else if (post && path == "/rerank") {
    r.endpoint = Endpoint::kRerank;
  } else if (post && path == "/images/generations") {
    r.endpoint = Endpoint::kImageGenerations;
  } else if (post && path == "/images/edits") {
    r.endpoint = Endpoint::kImageEdits;
  } else if (post && path == "/images/variations") {
    r.endpoint = Endpoint::kImageVariations;
  } else if (post && path == "/audio/speech") {
    r.endpoint = Endpoint::kSpeech;
  } else if (post && path == "/audio/transcriptions") {
    r.endpoint = Endpoint::kTranscriptions;
  } else if (post && path == "/audio/translations") {
    r.endpoint = Endpoint::kTranslations;
  } else if (get && path == "/models") {
    r.endpoint = Endpoint::kModels;
  } else if (get && path.starts_with("/models/") && path.size() > 8) {
    r.endpoint = Endpoint::kModel;
    r.modelId = std::string(path.substr(8));
  } else if (get && path == "/mock/stats" && r.deployment.empty()) {
    r.endpoint = Endpoint::kStats;
  } else if (post && path == "/mock/reset" && r.deployment.empty()) {
    r.endpoint = Endpoint::kReset;
  } else if (post && path == "/mock/faults" && r.deployment.empty()) {
    r.endpoint = Endpoint::kFaults;
  }
  return r;
}

bool authorized(const http::fields& headers, const std::string& key) {
  if (auto it = headers.find("api-key"); it != headers.end() && it->value() == key) return true;
  if (auto it = headers.find("x-api-key"); it != headers.end() && it->value() == key) return true;
  if (auto it = headers.find("x-goog-api-key"); it != headers.end() && it->value() == key) {
    return true;
  }
  auto it = headers.find(http::field::authorization);
  if (it == headers.end()) return false;
  std::string_view value = it->value();
  return value.size() == key.size() + 7 && beast::iequals(value.substr(0, 7), "bearer ") &&
         value.substr(7) == key;
}

Answer answerFor(const Route& r, std::string_view target, const http::fields& headers,
                 const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  switch (r.endpoint) {
    case Endpoint::kChat:
      answer = answerChat(body, ctx);
      break;
    case Endpoint::kCompletions:
      answer = answerCompletion(body, ctx);
      break;
    case Endpoint::kResponses:
      answer = answerResponses(body, ctx);
      break;
    case Endpoint::kStoredResponse:
      answer.reply = answerStoredResponse(r.method, r.responseId, r.responseAction, ctx);
      break;
    case Endpoint::kAnthropicMessages:
      answer = answerAnthropicMessages(body, ctx);
      break;
    case Endpoint::kAnthropicCountTokens:
      answer.reply = answerAnthropicCountTokens(body);
      break;
    case Endpoint::kEmbeddings:
      answer.reply = answerEmbeddings(body, r.deployment);
      break;
    case Endpoint::kBedrock:
      answer = answerBedrock(r.bedrockModel, r.bedrockAction, headers, body, ctx);
      break;
    case Endpoint::kCohereChat:
      answer = answerCohereChat(body, ctx);
      break;
    case Endpoint::kCohereEmbed:
      answer.reply = answerCohereEmbed(body);
      break;
    case Endpoint::kGoogle:
      answer = answerGoogle(target, body, ctx);
      break;
    case Endpoint::kOllamaChat:
      answer = answerOllamaChat(body, ctx);
      break;
    case Endpoint::kOllamaEmbed:
      answer.reply = answerOllamaEmbed(body);
      break;
    case Endpoint::kSageMaker:
      answer = answerSageMaker(r.sageMakerStream, headers, body, ctx);
      break;
    case Endpoint::kModels:
      answer.reply = modelList();
      break;
    case Endpoint::kModerations:
      answer.reply = answerModeration(body, ctx);
      break;
    case Endpoint::kRerank:
    case Endpoint::kCohereRerank:
      answer.reply = answerRerank(body, r.endpoint == Endpoint::kCohereRerank, ctx);
      break;
    case Endpoint::kImageGenerations:
      answer.reply = answerImages(body, ImageCall::kGenerate, ctx);
      break;
    case Endpoint::kImageEdits:
      answer.reply = answerImages(body, ImageCall::kEdit, ctx);
      break;
    case Endpoint::kImageVariations:
      answer.reply = answerImages(body, ImageCall::kVariation, ctx);
      break;
    case Endpoint::kSpeech:
      answer = answerSpeech(body);
      break;
    case Endpoint::kTranscriptions:
    case Endpoint::kTranslations:
      answer = answerTranscription(body, r.endpoint == Endpoint::kTranslations);
      break;
    default:
      answer.reply = modelObject(r.modelId);
      break;
  }
  return answer;
}

}  // namespace switchyard::mock
