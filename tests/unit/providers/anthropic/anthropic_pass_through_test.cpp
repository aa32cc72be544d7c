// An Anthropic client behind an Anthropic upstream: the stream is forwarded as it came, whatever
// the split, with usage read on the way and failures reported in Anthropic's format.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "providers/anthropic/anthropic_stream.hpp"
#include "support/fixtures.hpp"

namespace switchyard::anthropic {
namespace {

namespace json = boost::json;

std::string sseWire(const std::vector<std::string>& lines) {
  std::string wire;
  for (const auto& line : lines) {
    const auto v = json::parse(line);
    wire +=
        "event: " + std::string(v.as_object().at("type").as_string()) + "\ndata: " + line + "\n\n";
  }
  return wire;
}

TEST(AnthropicStreamPassThrough, ForwardsRecordedStreamsAsTheyCameAndReadsUsage) {
  for (const char* file : {"anthropic-text.chunks.txt", "anthropic-web-search-tool.1.chunks.txt",
                           "anthropic-clear-thinking.1.chunks.txt"}) {
    SCOPED_TRACE(file);
    const std::string wire = sseWire(testing::readChunks(std::string("anthropic/") + file));
    std::mt19937 rng(7);
    std::uniform_int_distribution<size_t> pieceSize(1, 300);
    AnthropicStreamPassThrough t;
    std::string out;
    Usage usage;
    for (size_t pos = 0; pos < wire.size();) {
      const size_t n = std::min(pieceSize(rng), wire.size() - pos);
      ASSERT_TRUE(t.onBytes(std::string_view(wire).substr(pos, n), out, usage));
      pos += n;
    }
    // Server-tool blocks and everything else the canonical events do not name survive.
    EXPECT_EQ(out, wire);
    EXPECT_TRUE(t.finished());
    EXPECT_TRUE(usage.present);
    EXPECT_GT(usage.promptTokens, 0);
    EXPECT_GT(usage.completionTokens, 0);
  }
}

TEST(AnthropicStreamPassThrough, ErrorBeforeTheMessageCanBeRetried) {
  AnthropicStreamPassThrough t;
  std::string out;
  Usage usage;
  auto r = t.onBytes(
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      "\"message\":\"Overloaded\"}}\n\n",
      out, usage);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kUpstreamServer);
  EXPECT_TRUE(out.empty());
}

TEST(AnthropicStreamPassThrough, WatchedContentAndOneFailureEvent) {
  const std::string wire = sseWire(testing::readChunks("anthropic/anthropic-text.chunks.txt"));
  AnthropicStreamPassThrough t;
  t.watchForContent();
  std::string out;
  Usage usage;
  const size_t firstDelta = wire.find("event: content_block_delta");
  ASSERT_TRUE(t.onBytes(std::string_view(wire).substr(0, firstDelta), out, usage));
  EXPECT_FALSE(t.sawContent());  // message_start and an empty block: nothing of the answer yet
  const size_t afterDelta = wire.find("\n\n", firstDelta) + 2;
  ASSERT_TRUE(
      t.onBytes(std::string_view(wire).substr(firstDelta, afterDelta - firstDelta), out, usage));
  EXPECT_TRUE(t.sawContent());

  out.clear();
  t.fail(Error::make(ErrorClass::kTimeout, "upstream timed out"), out);
  t.fail(Error::make(ErrorClass::kTimeout, "again"), out);
  EXPECT_EQ(out.find("event: error\n"), 0u);
  EXPECT_EQ(out.find("event: error", 1), std::string::npos);
  EXPECT_TRUE(t.finished());
}

}  // namespace
}  // namespace switchyard::anthropic
