// OpenAI chat.completion.chunk framing for translated streams.

#include "providers/common/openai_chunks.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>

namespace switchyard::common {
namespace {

namespace json = boost::json;

// The JSON of each `data:` line.
std::vector<std::string> dataLines(const std::string& sse) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = sse.find("data: ", pos)) != std::string::npos) {
    const size_t end = sse.find('\n', pos);
    out.push_back(sse.substr(pos + 6, end - pos - 6));
    pos = end;
  }
  return out;
}

TEST(CompletionId, PrefixAnd24Alphanumerics) {
  const std::string id = newCompletionId();
  ASSERT_EQ(id.size(), 9u + 24u);
  EXPECT_TRUE(id.starts_with("chatcmpl-"));
  for (char c : id.substr(9)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
  EXPECT_NE(newCompletionId(), id);
}

TEST(ChunkWriter, WritesDeltaUsageAndDone) {
  const ChunkWriter writer("chatcmpl-1", 1700000000, "m");
  std::string out;
  writer.delta(out, json::object{{"content", "hi"}});
  writer.delta(out, json::object{}, "stop");
  Usage u;
  u.promptTokens = 3;
  u.completionTokens = 2;
  u.totalTokens = 5;
  writer.usage(out, u);
  ChunkWriter::done(out);

  const auto lines = dataLines(out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(json::parse(lines[0]),
            json::parse(R"({"id":"chatcmpl-1","object":"chat.completion.chunk",
      "created":1700000000,"model":"m",
      "choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]})"));
  EXPECT_EQ(json::parse(lines[1]).at("choices").at(0).at("finish_reason"), "stop");
  const auto usage = json::parse(lines[2]);
  EXPECT_TRUE(usage.at("choices").as_array().empty());
  EXPECT_EQ(usage.at("usage").at("total_tokens"), 5);
  EXPECT_EQ(lines[3], "[DONE]");
}

}  // namespace
}  // namespace switchyard::common
