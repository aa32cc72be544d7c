#pragma once
// Pieces every translator from a non-OpenAI upstream needs: tolerant JSON field access (upstream
// bodies may be malformed), OpenAI chat.completion.chunk framing, usage and embedding-list
// shapes. Shared by the Bedrock and Cohere adapters.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard::translate {

const boost::json::object* objectField(const boost::json::object& o, std::string_view key);
const boost::json::array* arrayField(const boost::json::object& o, std::string_view key);
// Empty when absent or not a string.
std::string_view stringField(const boost::json::object& o, std::string_view key);
// 0 when absent or not a number.
int64_t intField(const boost::json::object& o, std::string_view key);
bool hasNumber(const boost::json::object& o, std::string_view key);

// The text of an OpenAI message content: a string, or the text parts of an array joined.
std::string contentText(const boost::json::value& content);

Error badUpstream(std::string message);
// An upstream answer parsed as a JSON object, or the bad-upstream error saying it is not one.
Result<boost::json::object> parseObjectBody(std::string_view body);
Error badRequest(std::string message, std::string param = {});
// A parameter the provider cannot honour (refused unless drop_params).
Error unsupportedParam(std::string_view provider, std::string_view param);

// "chatcmpl-" followed by 24 random alphanumerics.
std::string newCompletionId();
int64_t unixNow();

// OpenAI's usage object for the counts in `u`.
boost::json::object usageJson(const Usage& u);

// Writes OpenAI chat.completion.chunk events for one response.
class ChunkWriter {
 public:
  ChunkWriter(std::string id, int64_t created, std::string model);
  // One chunk with choices[0].delta = delta and the finish reason (empty: null).
  void delta(std::string& out, boost::json::object delta, std::string_view finishReason = {}) const;
  // The usage-only chunk (choices: []) OpenAI sends when stream_options.include_usage is set.
  void usage(std::string& out, const Usage& u) const;
  static void done(std::string& out);

 private:
  boost::json::object base() const;
  std::string id_;
  int64_t created_;
  std::string model_;
};

// An OpenAI embeddings list. base64: little-endian float32 as encoding_format "base64" asks.
std::string embeddingList(const std::vector<std::vector<double>>& vectors, std::string_view model,
                          bool base64, int64_t promptTokens);
// Reads a JSON array of numbers; false when it is not one.
bool readVector(const boost::json::value& v, std::vector<double>& out);

}  // namespace switchyard::translate
