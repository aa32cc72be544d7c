#include "providers/common/openai_chunks.hpp"

#include <boost/json.hpp>
#include <ctime>
#include <random>

#include "providers/openai/openai_stream.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard::common {

namespace json = boost::json;

std::string newCompletionId() {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id = "chatcmpl-";
  for (int i = 0; i < 24; ++i) id.push_back(kAlphabet[rng() % 62]);
  return id;
}

int64_t unixNow() { return static_cast<int64_t>(std::time(nullptr)); }

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
  chunk["usage"] = openAiUsageJson(u);
  appendSseData(out, json::serialize(chunk));
}

void ChunkWriter::done(std::string& out) { appendSseData(out, "[DONE]"); }

}  // namespace switchyard::common
