#include "providers/common/embeddings.hpp"

#include "providers/common/base64.hpp"
#include "providers/common/errors.hpp"

namespace switchyard::common {

namespace json = boost::json;

std::string embeddingList(json::array data, std::string_view model, int64_t promptTokens,
                          int64_t totalTokens) {
  json::object out{
      {"object", "list"},
      {"data", std::move(data)},
      {"model", model},
      {"usage", json::object{{"prompt_tokens", promptTokens}, {"total_tokens", totalTokens}}}};
  return json::serialize(out);
}

json::object embeddingItem(size_t index, json::value embedding) {
  return json::object{
      {"object", "embedding"}, {"index", index}, {"embedding", std::move(embedding)}};
}

std::string embeddingList(const std::vector<std::vector<double>>& vectors, std::string_view model,
                          bool base64, int64_t promptTokens) {
  json::array data;
  data.reserve(vectors.size());
  for (size_t i = 0; i < vectors.size(); ++i) {
    if (base64) {
      data.emplace_back(embeddingItem(i, json::value(base64Float32(vectors[i]))));
    } else {
      json::array values;
      values.reserve(vectors[i].size());
      for (double x : vectors[i]) values.emplace_back(x);
      data.emplace_back(embeddingItem(i, std::move(values)));
    }
  }
  return embeddingList(std::move(data), model, promptTokens, promptTokens);
}

Result<std::vector<std::vector<double>>> readVectors(const json::array& list) {
  std::vector<std::vector<double>> vectors(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    if (!readVector(list[i], vectors[i])) {
      return badUpstream("An upstream embedding is not an array of numbers.");
    }
  }
  return vectors;
}

bool readVector(const json::value& v, std::vector<double>& out) {
  const auto* arr = v.if_array();
  return arr && readVector(*arr, out);
}

bool readVector(const json::array& values, std::vector<double>& out) {
  out.clear();
  out.reserve(values.size());
  for (const auto& x : values) {
    if (!x.is_number()) return false;
    boost::system::error_code ec;
    out.push_back(x.to_number<double>(ec));
    if (ec) return false;
  }
  return true;
}

Result<json::array> embeddingTexts(const json::object& body, std::string_view provider) {
  const auto* input = body.if_contains("input");
  json::array texts;
  if (input && input->is_string()) {
    texts.emplace_back(input->get_string());
  } else if (input && input->is_array()) {
    for (const auto& v : input->get_array()) {
      if (!v.is_string()) {
        return badRequest(std::string(provider) + " embeddings take text inputs, not token arrays.",
                          "input");
      }
      texts.emplace_back(v.get_string());
    }
  }
  if (texts.empty()) {
    return badRequest("input must be a string or a non-empty array of strings.", "input");
  }
  return texts;
}

}  // namespace switchyard::common
