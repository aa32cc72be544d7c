#include "providers/bedrock/translate_util.hpp"

#include <bit>
#include <ctime>
#include <random>

#include "api/sse_write.hpp"

namespace switchyard::translate {

namespace json = boost::json;

const json::object* objectField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const json::array* arrayField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

std::string_view stringField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

int64_t intField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return 0;
}

bool hasNumber(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_number();
}

std::string contentText(const json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string out;
  if (const auto* parts = content.if_array()) {
    for (const auto& part : *parts) {
      if (const auto* p = part.if_object()) out += stringField(*p, "text");
    }
  }
  return out;
}

Error badUpstream(std::string message) {
  return Error::make(ErrorClass::kBadUpstream, std::move(message), {}, "bad_upstream_response");
}

Result<boost::json::object> parseObjectBody(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value root = boost::json::parse(body, ec);
  if (ec || !root.is_object()) {
    return badUpstream("The upstream answered with a body that is not a JSON object.");
  }
  return std::move(root.get_object());
}

Error badRequest(std::string message, std::string param) {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::move(param),
                     "invalid_request_error");
}

Error unsupportedParam(std::string_view provider, std::string_view param) {
  return Error::make(ErrorClass::kBadRequest,
                     std::string(provider) + " does not support the parameter '" +
                         std::string(param) +
                         "'. Set drop_params: true to drop unsupported parameters instead.",
                     std::string(param), "unsupported_parameter");
}

std::string newCompletionId() {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id = "chatcmpl-";
  for (int i = 0; i < 24; ++i) id.push_back(kAlphabet[rng() % 62]);
  return id;
}

int64_t unixNow() { return static_cast<int64_t>(std::time(nullptr)); }

json::object usageJson(const Usage& u) {
  return json::object{
      {"prompt_tokens", u.promptTokens},
      {"completion_tokens", u.completionTokens},
      {"total_tokens", u.totalTokens},
      {"prompt_tokens_details", json::object{{"cached_tokens", u.cachedPromptTokens}}},
      {"completion_tokens_details", json::object{{"reasoning_tokens", u.reasoningTokens}}}};
}

ChunkWriter::ChunkWriter(std::string id, int64_t created, std::string model)
    : id_(std::move(id)), created_(created), model_(std::move(model)) {}

json::object ChunkWriter::base() const {
  return json::object{
      {"id", id_}, {"object", "chat.completion.chunk"}, {"created", created_}, {"model", model_}};
}

void ChunkWriter::delta(std::string& out, json::object delta, std::string_view finishReason) const {
  json::object chunk = base();
  json::object choice{{"index", 0}, {"delta", std::move(delta)}};
  if (finishReason.empty()) {
    choice["finish_reason"] = nullptr;
  } else {
    choice["finish_reason"] = finishReason;
  }
  chunk["choices"] = json::array{std::move(choice)};
  appendSseData(out, json::serialize(chunk));
}

void ChunkWriter::usage(std::string& out, const Usage& u) const {
  json::object chunk = base();
  chunk["choices"] = json::array{};
  chunk["usage"] = usageJson(u);
  appendSseData(out, json::serialize(chunk));
}

void ChunkWriter::done(std::string& out) { appendSseData(out, "[DONE]"); }

namespace {

std::string base64Floats(const std::vector<double>& vector) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(vector.size() * 4, '\0');
  for (size_t i = 0; i < vector.size(); ++i) {
    const uint32_t bits = std::bit_cast<uint32_t>(static_cast<float>(vector[i]));
    for (size_t b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xFF);
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size())
      n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[n & 63] : '=');
  }
  return out;
}

}  // namespace

std::string embeddingList(const std::vector<std::vector<double>>& vectors, std::string_view model,
                          bool base64, int64_t promptTokens) {
  json::array data;
  data.reserve(vectors.size());
  for (size_t i = 0; i < vectors.size(); ++i) {
    json::object item{{"object", "embedding"}, {"index", i}};
    if (base64) {
      item["embedding"] = base64Floats(vectors[i]);
    } else {
      json::array values;
      values.reserve(vectors[i].size());
      for (double x : vectors[i]) values.emplace_back(x);
      item["embedding"] = std::move(values);
    }
    data.emplace_back(std::move(item));
  }
  json::object out{
      {"object", "list"},
      {"data", std::move(data)},
      {"model", model},
      {"usage", json::object{{"prompt_tokens", promptTokens}, {"total_tokens", promptTokens}}}};
  return json::serialize(out);
}

bool readVector(const json::value& v, std::vector<double>& out) {
  const auto* arr = v.if_array();
  if (!arr) return false;
  out.clear();
  out.reserve(arr->size());
  for (const auto& x : *arr) {
    if (!x.is_number()) return false;
    boost::system::error_code ec;
    out.push_back(x.to_number<double>(ec));
    if (ec) return false;
  }
  return true;
}

}  // namespace switchyard::translate
