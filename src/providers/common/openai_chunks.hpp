#pragma once
// OpenAI chat.completion.chunk framing for translators from non-OpenAI upstreams.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/request.hpp"

namespace switchyard::common {

// "chatcmpl-" followed by 24 random alphanumerics.
std::string newCompletionId();
int64_t unixNow();

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

}  // namespace switchyard::common
