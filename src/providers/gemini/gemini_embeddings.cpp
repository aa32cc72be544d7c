// OpenAI /embeddings ↔ Gemini batchEmbedContents and Vertex :predict.

#include <optional>
#include <vector>

#include "providers/common/base64.hpp"
#include "providers/common/embeddings.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/gemini/gemini_translate.hpp"

namespace switchyard {

namespace json = boost::json;
using namespace common;

namespace {

Error invalid(std::string param, std::string message) {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::move(param),
                     "invalid_value");
}

// The texts of `input`; Google embeds text only, not token ids.
Result<std::vector<std::string_view>> inputTexts(const json::object& body) {
  std::vector<std::string_view> texts;
  const auto* input = body.if_contains("input");
  if (input && input->is_string()) {
    texts.push_back(input->get_string());
  } else if (input && input->is_array()) {
    for (const auto& v : input->get_array()) {
      if (!v.is_string()) {
        return invalid("input", "Google embedding models accept text input only, not token ids.");
      }
      texts.push_back(v.get_string());
    }
  }
  if (texts.empty()) return invalid("input", "input must be a string or an array of strings.");
  return texts;
}

Result<std::optional<int64_t>> dimensions(const json::object& body) {
  const auto* d = body.if_contains("dimensions");
  if (!d || d->is_null()) return std::optional<int64_t>();
  if (!d->is_int64() || d->get_int64() <= 0) {
    return invalid("dimensions", "dimensions must be a positive integer.");
  }
  return std::optional<int64_t>(d->get_int64());
}

Result<void> checkEncoding(const json::object& body, bool dropParams) {
  const auto format = stringField(body, "encoding_format");
  if (format.empty() || format == "float" || format == "base64" || dropParams) return {};
  return invalid("encoding_format", "encoding_format must be float or base64.");
}

// Google's values as OpenAI's embedding: a float array, or little-endian float32 in base64.
Result<json::value> openAiEmbedding(const json::array* values, bool asBase64) {
  if (!values) return badUpstream("The upstream sent an embedding without values.");
  if (!asBase64) {
    for (const auto& v : *values) {
      if (!v.is_number()) return badUpstream("The upstream sent a non-numeric embedding value.");
    }
    return json::value(*values);
  }
  std::vector<double> vector;
  if (!readVector(*values, vector)) {
    return badUpstream("The upstream sent a non-numeric embedding value.");
  }
  return json::value(base64Float32(vector));
}

}  // namespace

size_t embeddingInputChars(const json::object& body) {
  size_t chars = 0;
  if (auto texts = inputTexts(body)) {
    for (auto t : *texts) chars += t.size();
  }
  return chars;
}

Result<json::object> geminiEmbeddingRequest(const json::object& body, std::string_view model,
                                            bool dropParams) {
  auto texts = inputTexts(body);
  if (!texts) return texts.error();
  auto dims = dimensions(body);
  if (!dims) return dims.error();
  if (auto r = checkEncoding(body, dropParams); !r) return r.error();
  const std::string resource = "models/" + std::string(model);
  json::array requests;
  for (auto text : *texts) {
    json::object r{{"model", resource},
                   {"content", json::object{{"parts", json::array{json::object{{"text", text}}}}}}};
    if (*dims) r["outputDimensionality"] = **dims;
    requests.push_back(std::move(r));
  }
  return json::object{{"requests", std::move(requests)}};
}

Result<json::object> vertexEmbeddingRequest(const json::object& body, bool dropParams) {
  auto texts = inputTexts(body);
  if (!texts) return texts.error();
  auto dims = dimensions(body);
  if (!dims) return dims.error();
  if (auto r = checkEncoding(body, dropParams); !r) return r.error();
  json::array instances;
  for (auto text : *texts) instances.push_back(json::object{{"content", text}});
  json::object out{{"instances", std::move(instances)}};
  if (*dims) out["parameters"] = json::object{{"outputDimensionality", **dims}};
  return out;
}

Result<std::string> geminiEmbeddingResponse(std::string_view body, std::string_view model,
                                            size_t inputChars, bool asBase64, Usage& usage) {
  auto parsed = parseObjectBody(body);
  if (!parsed) return parsed.error();
  const auto* embeddings = arrayField(*parsed, "embeddings");
  if (!embeddings) return badUpstream("The upstream answered without embeddings.");
  json::array data;
  for (size_t i = 0; i < embeddings->size(); ++i) {
    const auto* e = (*embeddings)[i].if_object();
    auto vec = openAiEmbedding(e ? arrayField(*e, "values") : nullptr, asBase64);
    if (!vec) return vec.error();
    data.push_back(embeddingItem(i, std::move(*vec)));
  }
  // batchEmbedContents reports no token counts: estimate ~4 characters per token.
  usage.present = true;
  usage.promptTokens = static_cast<int64_t>((inputChars + 3) / 4);
  usage.totalTokens = usage.promptTokens;
  return embeddingList(std::move(data), model, usage.promptTokens, usage.totalTokens);
}

Result<std::string> vertexEmbeddingResponse(std::string_view body, std::string_view model,
                                            bool asBase64, Usage& usage) {
  auto parsed = parseObjectBody(body);
  if (!parsed) return parsed.error();
  const auto* predictions = arrayField(*parsed, "predictions");
  if (!predictions) return badUpstream("The upstream answered without predictions.");
  json::array data;
  int64_t tokens = 0;
  for (size_t i = 0; i < predictions->size(); ++i) {
    const auto* p = (*predictions)[i].if_object();
    const auto* e = p ? objectField(*p, "embeddings") : nullptr;
    auto vec = openAiEmbedding(e ? arrayField(*e, "values") : nullptr, asBase64);
    if (!vec) return vec.error();
    if (const auto* stats = e ? objectField(*e, "statistics") : nullptr) {
      tokens += intField(*stats, "token_count");
    }
    data.push_back(embeddingItem(i, std::move(*vec)));
  }
  usage.present = true;
  usage.promptTokens = tokens;
  usage.totalTokens = tokens;
  return embeddingList(std::move(data), model, usage.promptTokens, usage.totalTokens);
}

}  // namespace switchyard
