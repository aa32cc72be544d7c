// OpenAI chat requests → TGI / JumpStart {inputs, parameters}, and their answers back.

#include <array>

#include "api/openai/usage_json.hpp"
#include "core/text.hpp"
#include "providers/common/answer_ids.hpp"
#include "providers/common/content.hpp"
#include "providers/common/embeddings.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/request_params.hpp"
#include "providers/sagemaker/sagemaker_adapter.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard::sagemaker {

namespace json = boost::json;
using common::badRequest;
using common::badUpstream;
using common::objectField;
using common::stringField;

namespace {

constexpr std::string_view kProvider = "SageMaker (TGI)";

// What a text-generation container cannot be asked: refused unless drop_params.
constexpr std::array<std::string_view, 7> kUnsupported = {
    "tools", "tool_choice", "functions", "response_format", "logprobs", "top_logprobs", "audio"};

struct Turn {
  std::string_view role;
  std::string text;
};

Result<std::vector<Turn>> turnsOf(const json::object& body) {
  auto messagesField = common::chatMessages(body);
  if (!messagesField) return messagesField.error();
  const json::array* list = *messagesField;
  std::vector<Turn> turns;
  for (const auto& item : *list) {
    const auto* m = item.if_object();
    if (!m) return badRequest("Each message must be an object.", "messages");
    const json::value* content = m->if_contains("content");
    if (content && content->is_array()) {
      for (const auto& p : content->get_array()) {
        const auto* part = p.if_object();
        if (!part || stringField(*part, "type") != "text") {
          return badRequest("A text-generation endpoint takes text only.", "messages");
        }
      }
    }
    turns.push_back({stringField(*m, "role"), content ? common::contentText(*content) : ""});
  }
  return turns;
}

// Llama 2's chat format, as LiteLLM writes it for a llama-2 chat endpoint.
std::string llama2ChatPrompt(const std::vector<Turn>& turns) {
  std::string prompt = "<s>";
  for (const auto& t : turns) {
    if (t.role == "system" || t.role == "developer") {
      prompt += "[INST] <<SYS>>\n" + t.text + "\n<</SYS>>\n [/INST]\n";
    } else if (t.role == "assistant") {
      prompt += t.text + "\n";
    } else {
      prompt += "[INST] " + t.text + " [/INST]\n";
    }
  }
  return prompt;
}

}  // namespace

std::string_view finishReason(std::string_view tgiReason) {
  return tgiReason == "length" ? "length" : "stop";
}

Result<std::string> promptOf(const json::object& body, std::string_view model) {
  auto turns = turnsOf(body);
  if (!turns) return turns.error();
  const std::string lower = asciiLower(model);
  if (contains(lower, "llama-2") && contains(lower, "chat")) return llama2ChatPrompt(*turns);
  std::string prompt;
  for (const auto& t : *turns) {
    if (!prompt.empty()) prompt += ' ';
    prompt += t.text;
  }
  return prompt;
}

Result<json::object> toTgi(const json::object& body, std::string_view model, bool stream,
                           bool dropParams) {
  if (auto refused = common::refuseUnsupported(body, kUnsupported, kProvider, dropParams);
      !refused) {
    return refused.error();
  }
  auto prompt = promptOf(body, model);
  if (!prompt) return prompt.error();
  // details: the finish reason and the generated token count come back with the text.
  json::object parameters{{"details", true}};
  if (const auto* t = body.if_contains("temperature"); t && t->is_number()) {
    // TGI refuses 0 ("temperature must be strictly positive"); LiteLLM sends 0.01 instead.
    const double value = t->to_number<double>();
    parameters["temperature"] = value <= 0 ? 0.01 : value;
  }
  for (std::string_view key : {"top_p", "top_k", "seed", "repetition_penalty"}) {
    if (const auto* v = body.if_contains(key); v && v->is_number()) parameters[key] = *v;
  }
  for (std::string_view key : {"max_tokens", "max_completion_tokens"}) {
    // TGI refuses 0 new tokens.
    if (common::hasNumber(body, key)) {
      parameters["max_new_tokens"] = std::max<int64_t>(1, common::intField(body, key));
    }
  }
  if (const int64_t n = common::intField(body, "n"); n > 1) {
    // TGI answers one sequence: the best of n sampled ones.
    parameters["best_of"] = n;
    parameters["do_sample"] = true;
  }
  if (auto stop = common::stopSequences(body)) parameters["stop"] = std::move(*stop);
  json::object out{{"inputs", std::move(*prompt)}, {"parameters", std::move(parameters)}};
  if (stream) out["stream"] = true;
  return out;
}

Result<std::string> fromTgi(std::string_view text, const ApiRequest& req, Usage& usage) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return badUpstream("The upstream answered with a body that is not JSON.");
  const json::object* answer = root.if_object();
  if (const auto* list = root.if_array(); list && !list->empty()) answer = (*list)[0].if_object();
  if (!answer) return badUpstream("The upstream's answer has no generated text.");
  const auto* generated = answer->if_contains("generated_text");
  if (!generated) generated = answer->if_contains("generation");
  if (!generated || !generated->is_string()) {
    return badUpstream("The upstream's answer has no generated text.");
  }
  const std::string model(stringField(req.body(), "model"));
  auto prompt = promptOf(req.body(), model);
  if (!prompt) return prompt.error();
  std::string_view output = generated->get_string();
  // A container that returns the full text repeats the prompt first.
  if (!prompt->empty() && output.starts_with(*prompt)) output.remove_prefix(prompt->size());

  const auto* details = objectField(*answer, "details");
  const auto& encoding = tokenizer::cl100kBase();
  Usage u;
  u.present = true;
  u.promptTokens = static_cast<int64_t>(encoding.count(*prompt));
  u.completionTokens = details && common::hasNumber(*details, "generated_tokens")
                           ? common::intField(*details, "generated_tokens")
                           : static_cast<int64_t>(encoding.count(output));
  u.totalTokens = u.promptTokens + u.completionTokens;
  usage = u;
  json::object out{{"id", common::newCompletionId()},
                   {"object", "chat.completion"},
                   {"created", common::unixNow()},
                   {"model", req.model}};
  out["choices"] = json::array{json::object{
      {"index", 0},
      {"message", json::object{{"role", "assistant"}, {"content", output}}},
      {"logprobs", nullptr},
      {"finish_reason",
       finishReason(details ? stringField(*details, "finish_reason") : std::string_view())}}};
  out["usage"] = openAiUsageJson(u);
  return json::serialize(out);
}

Result<json::object> toEmbeddingRequest(const json::object& body) {
  auto texts = common::embeddingTexts(body, "SageMaker");
  if (!texts) return texts.error();
  return json::object{{"inputs", std::move(*texts)}};
}

Result<std::string> fromEmbeddingAnswer(std::string_view body, const ApiRequest& req,
                                        Usage& usage) {
  boost::system::error_code ec;
  const json::value answer = json::parse(body, ec);
  if (ec) return badUpstream("The upstream's answer is not JSON.");
  const json::value* list = &answer;
  if (const auto* o = answer.if_object()) list = o->if_contains("embedding");
  if (!list || !list->is_array()) {
    return badUpstream(
        "The upstream's answer is neither a list of embeddings nor {\"embedding\"}.");
  }
  const auto& items = list->get_array();
  // One input may come back as one vector rather than a list holding it.
  const bool bare = !items.empty() && items.front().is_number();
  json::array wrapped;
  if (bare) wrapped.emplace_back(items);
  auto vectors = common::readVectors(bare ? wrapped : items);
  if (!vectors) return vectors.error();
  int64_t tokens = 0;
  if (auto texts = common::embeddingTexts(req.body(), "SageMaker")) {
    for (const auto& t : *texts) {
      tokens += static_cast<int64_t>(tokenizer::cl100kBase().count(t.get_string()));
    }
    if (texts->size() != vectors->size()) {
      return badUpstream("The upstream answered " + std::to_string(vectors->size()) +
                         " embeddings for " + std::to_string(texts->size()) + " inputs.");
    }
  }
  usage.present = true;
  usage.promptTokens = tokens;
  usage.totalTokens = tokens;
  const bool base64 = common::stringField(req.body(), "encoding_format") == "base64";
  return common::embeddingList(*vectors, req.model, base64, tokens);
}

}  // namespace switchyard::sagemaker
