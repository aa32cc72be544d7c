#pragma once
// Parses an Anthropic SSE stream back and checks it follows the protocol the Anthropic SDKs
// expect: message_start first; blocks opened, filled and closed one at a time with indexes
// 0, 1, 2...; deltas only inside the open block and of its kind; message_delta, then
// message_stop last (or an error event that ends the stream).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "client/sse_parser.hpp"

namespace switchyard::testing {

struct AnthropicBlock {
  std::string type;
  std::string text;  // text, thinking, or the concatenated partial_json of a tool_use
  std::string id;
  std::string name;
};

struct AnthropicStream {
  std::vector<std::string> events;  // event names in order
  boost::json::object message;      // from message_start
  std::vector<AnthropicBlock> blocks;
  std::string stopReason;
  boost::json::value stopSequence;
  boost::json::object usage;  // from message_delta
  bool stopped = false;       // message_stop seen
  bool errored = false;
  boost::json::object error;  // the error event's data
};

inline AnthropicStream checkAnthropicStream(const std::string& sse) {
  namespace json = boost::json;
  AnthropicStream s;
  int open = -1;
  bool deltaSeen = false;
  SseParser parser;
  const bool ok = parser.feed(sse, [&](const SseEvent& e) {
    const std::string name(e.event);
    s.events.push_back(name);
    SCOPED_TRACE("event #" + std::to_string(s.events.size()) + " " + name);
    EXPECT_FALSE(s.stopped || s.errored) << "event after the end of the stream";
    boost::system::error_code ec;
    json::value v = json::parse(e.data, ec);
    ASSERT_FALSE(ec) << e.data;
    ASSERT_TRUE(v.is_object());
    const auto& d = v.as_object();
    ASSERT_TRUE(d.contains("type"));
    EXPECT_EQ(d.at("type").as_string(), name) << "event name and data type differ";
    if (name == "error") {
      s.errored = true;
      s.error = d;
      return;
    }
    if (name == "message_start") {
      EXPECT_EQ(s.events.size(), 1u) << "message_start must come first";
      s.message = d.at("message").as_object();
      EXPECT_EQ(s.message.at("type"), "message");
      EXPECT_EQ(s.message.at("role"), "assistant");
      EXPECT_TRUE(s.message.at("content").as_array().empty());
      EXPECT_TRUE(s.message.at("stop_reason").is_null());
      EXPECT_TRUE(s.message.at("usage").is_object());
      return;
    }
    ASSERT_FALSE(s.message.empty()) << "no message_start before " << name;
    if (name == "content_block_start") {
      EXPECT_EQ(open, -1) << "a block opened while another is open";
      EXPECT_FALSE(deltaSeen) << "block after message_delta";
      const auto index = d.at("index").as_int64();
      EXPECT_EQ(index, static_cast<int64_t>(s.blocks.size())) << "block indexes must increase by 1";
      open = static_cast<int>(index);
      const auto& cb = d.at("content_block").as_object();
      AnthropicBlock b;
      b.type = cb.at("type").as_string();
      if (b.type == "text") {
        EXPECT_EQ(cb.at("text"), "");
      } else if (b.type == "thinking") {
        EXPECT_EQ(cb.at("thinking"), "");
      } else if (b.type == "tool_use") {
        b.id = cb.at("id").as_string();
        b.name = cb.at("name").as_string();
        EXPECT_FALSE(b.id.empty());
        EXPECT_EQ(cb.at("input"), json::object());
      } else {
        ADD_FAILURE() << "unexpected block type " << b.type;
      }
      s.blocks.push_back(std::move(b));
    } else if (name == "content_block_delta") {
      ASSERT_NE(open, -1) << "delta outside a block";
      ASSERT_EQ(d.at("index").as_int64(), open) << "delta for a block that is not open";
      const auto& delta = d.at("delta").as_object();
      const std::string type(delta.at("type").as_string());
      auto& b = s.blocks[open];
      if (type == "text_delta") {
        EXPECT_EQ(b.type, "text");
        b.text += delta.at("text").as_string();
      } else if (type == "thinking_delta") {
        EXPECT_EQ(b.type, "thinking");
        b.text += delta.at("thinking").as_string();
      } else if (type == "input_json_delta") {
        EXPECT_EQ(b.type, "tool_use");
        b.text += delta.at("partial_json").as_string();
      } else {
        ADD_FAILURE() << "unexpected delta type " << type;
      }
    } else if (name == "content_block_stop") {
      ASSERT_NE(open, -1) << "stop outside a block";
      EXPECT_EQ(d.at("index").as_int64(), open);
      open = -1;
    } else if (name == "message_delta") {
      EXPECT_EQ(open, -1) << "message_delta while a block is open";
      EXPECT_FALSE(deltaSeen) << "second message_delta";
      deltaSeen = true;
      s.stopReason = d.at("delta").at("stop_reason").as_string();
      s.stopSequence = d.at("delta").at("stop_sequence");
      s.usage = d.at("usage").as_object();
    } else if (name == "message_stop") {
      EXPECT_TRUE(deltaSeen) << "message_stop without message_delta";
      s.stopped = true;
    } else {
      ADD_FAILURE() << "unexpected event " << name;
    }
  });
  EXPECT_TRUE(ok);
  EXPECT_FALSE(parser.hasPartialEvent()) << "stream ends inside an event";
  return s;
}

}  // namespace switchyard::testing
