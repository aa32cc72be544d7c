#include "tools/mock-provider/embeddings.hpp"

#include <boost/json/serialize.hpp>

#include <bit>
#include <cmath>
#include <cstring>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr size_t kDefaultDimensions = 16;
constexpr size_t kMaxDimensions = 8192;
constexpr size_t kMaxInputs = 2048;

uint64_t fnv1a(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// An input as the bytes its vector is derived from; false when it is not a valid input.
bool inputKey(const json::value& v, std::string& key, size_t& tokens) {
  if (v.is_string()) {
    key = v.get_string();
    tokens = size_t(approxTokens(key.size()));
    return !key.empty();
  }
  const auto* ids = v.if_array();
  if (ids == nullptr || ids->empty()) return false;
  key.clear();
  for (const auto& id : *ids) {
    if (!id.is_int64() && !id.is_uint64()) return false;
    const auto n = id.is_int64() ? uint64_t(id.get_int64()) : id.get_uint64();
    key.append(reinterpret_cast<const char*>(&n), sizeof n);
  }
  tokens = ids->size();
  return true;
}

}  // namespace

std::vector<float> embeddingFor(std::string_view input, size_t dimensions) {
  std::vector<float> v(dimensions);
  uint64_t state = fnv1a(input);
  double norm = 0;
  for (auto& x : v) {
    // Uniform in [-1, 1) from the top 53 bits.
    x = float(double(splitmix(state) >> 11) * 0x1.0p-52 - 1.0);
    norm += double(x) * double(x);
  }
  if (norm == 0) {
    v.front() = 1;
    return v;
  }
  const double scale = 1.0 / std::sqrt(norm);
  for (auto& x : v) x = float(double(x) * scale);
  return v;
}

std::string base64Floats(const std::vector<float>& vector) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(vector.size() * 4, '\0');
  for (size_t i = 0; i < vector.size(); ++i) {
    uint32_t bits = std::bit_cast<uint32_t>(vector[i]);
    for (size_t b = 0; b < 4; ++b) bytes[i * 4 + b] = char((bits >> (8 * b)) & 0xFF);
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= uint32_t(uint8_t(bytes[i + 2]));
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[n & 63] : '=');
  }
  return out;
}

Reply answerEmbeddings(const json::object& body, const std::string& modelOverride) {
  const auto* modelValue = body.if_contains("model");
  std::string model =
      modelValue && modelValue->is_string() ? std::string(modelValue->get_string()) : modelOverride;
  if (model.empty()) return missingParamReply("model");
  const auto* input = body.if_contains("input");
  if (input == nullptr) return missingParamReply("input");

  // A string, an array of strings, one token array, or an array of token arrays.
  std::vector<const json::value*> inputs;
  if (input->is_string()) {
    inputs.push_back(input);
  } else if (const auto* arr = input->if_array(); arr && !arr->empty()) {
    if (arr->front().is_number()) {
      inputs.push_back(input);
    } else {
      for (const auto& each : *arr) inputs.push_back(&each);
    }
  }
  const Reply invalid = errorReply(400,
                                   "'$.input' is invalid. Please check the API reference: "
                                   "https://platform.openai.com/docs/api-reference.",
                                   "invalid_request_error");
  if (inputs.empty() || inputs.size() > kMaxInputs) return invalid;

  size_t dimensions = kDefaultDimensions;
  if (const auto* d = body.if_contains("dimensions")) {
    if (!d->is_int64() || d->get_int64() < 1 || size_t(d->get_int64()) > kMaxDimensions) {
      return errorReply(400, "Invalid 'dimensions': must be an integer between 1 and 8192.",
                        "invalid_request_error", "dimensions", "invalid_value");
    }
    dimensions = size_t(d->get_int64());
  }
  bool base64 = false;
  if (const auto* f = body.if_contains("encoding_format")) {
    if (f->is_string() && f->get_string() == "base64") {
      base64 = true;
    } else if (!(f->is_string() && f->get_string() == "float")) {
      return errorReply(400, "Invalid value for 'encoding_format': must be 'float' or 'base64'.",
                        "invalid_request_error", "encoding_format", "invalid_value");
    }
  }

  json::array data;
  data.reserve(inputs.size());
  int64_t promptTokens = 0;
  std::string key;
  for (size_t i = 0; i < inputs.size(); ++i) {
    size_t tokens = 0;
    if (!inputKey(*inputs[i], key, tokens)) return invalid;
    promptTokens += int64_t(tokens);
    const auto vector = embeddingFor(key, dimensions);
    json::value embedding;
    if (base64) {
      embedding = base64Floats(vector);
    } else {
      json::array values;
      values.reserve(vector.size());
      for (float x : vector) values.emplace_back(double(x));
      embedding = std::move(values);
    }
    data.push_back(json::object{
        {"object", "embedding"}, {"index", int64_t(i)}, {"embedding", std::move(embedding)}});
  }
  json::object out{
      {"object", "list"},
      {"data", std::move(data)},
      {"model", model},
      {"usage", json::object{{"prompt_tokens", promptTokens}, {"total_tokens", promptTokens}}}};
  return Reply{200, json::serialize(out), 0};
}

}  // namespace switchyard::mock
