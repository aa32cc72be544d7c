// The AWS event-stream decoder: CRCs, bounds, header types, and frames split anywhere; also
// checked against the mock provider's independent encoder.

#include <gtest/gtest.h>

#include "providers/common/event_stream.hpp"
#include "support/fixtures.hpp"
#include "tools/mock-provider/bedrock_responder.hpp"

namespace switchyard {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::vector<EventStreamMessage> decodeAll(EventStreamDecoder& decoder, std::string_view bytes,
                                          Result<void>* result = nullptr) {
  std::vector<EventStreamMessage> out;
  auto r = decoder.feed(bytes, [&](const EventStreamMessage& m) -> Result<void> {
    out.push_back(m);
    return {};
  });
  if (result) *result = r;
  return out;
}

std::string frames(size_t n) {
  std::string wire;
  for (size_t i = 0; i < n; ++i) {
    wire += encodeEventStreamMessage(
        {{":event-type", "contentBlockDelta"}, {":message-type", "event"}},
        R"({"contentBlockIndex":0,"delta":{"text":"piece )" + std::to_string(i) + R"("}})");
  }
  return wire;
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("56789", crc32("1234")), 0xCBF43926u);
}

TEST(EventStream, EncodesThePreludeAsSpecified) {
  const std::string frame = encodeEventStreamMessage({{":message-type", "event"}}, "{}");
  // 12-byte prelude + header (1 + 13 name + 1 type + 2 length + 5 value) + 2 payload + 4 CRC.
  ASSERT_EQ(frame.size(), 12u + 22u + 2u + 4u);
  EXPECT_EQ(frame.substr(0, 8), std::string("\0\0\0\x28\0\0\0\x16", 8));
  EXPECT_EQ(frame, mock::eventStreamFrame({{":message-type", "event"}}, "{}"));
}

TEST(EventStream, DecodesHeadersAndPayload) {
  EventStreamDecoder decoder;
  const auto messages =
      decodeAll(decoder, encodeEventStreamMessage({{":event-type", "messageStop"},
                                                   {":content-type", "application/json"},
                                                   {":message-type", "event"}},
                                                  R"({"stopReason":"end_turn"})"));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].header(":event-type"), "messageStop");
  EXPECT_EQ(messages[0].header(":message-type"), "event");
  EXPECT_EQ(messages[0].header(":content-type"), "application/json");
  EXPECT_EQ(messages[0].header("missing"), "");
  EXPECT_EQ(messages[0].payload, R"({"stopReason":"end_turn"})");
  EXPECT_EQ(decoder.pending(), 0u);
}

TEST(EventStream, EveryTwoPieceSplitAndByteByByteGiveTheSameMessages) {
  const std::string wire = frames(3);
  for (size_t cut = 0; cut <= wire.size(); ++cut) {
    EventStreamDecoder decoder;
    auto first = decodeAll(decoder, std::string_view(wire).substr(0, cut));
    auto second = decodeAll(decoder, std::string_view(wire).substr(cut));
    first.insert(first.end(), second.begin(), second.end());
    ASSERT_EQ(first.size(), 3u) << "cut at " << cut;
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(first[i].payload,
                R"({"contentBlockIndex":0,"delta":{"text":"piece )" + std::to_string(i) + R"("}})");
    }
  }
  EventStreamDecoder decoder;
  size_t count = 0;
  for (char c : wire) count += decodeAll(decoder, std::string_view(&c, 1)).size();
  EXPECT_EQ(count, 3u);
}

TEST(EventStream, MessageCrcMismatchIsAnError) {
  std::string wire = frames(2);
  wire[wire.size() / 2 + 20] ^= 0x01;  // inside the second message's payload
  EventStreamDecoder decoder;
  Result<void> r;
  const auto messages = decodeAll(decoder, wire, &r);
  EXPECT_EQ(messages.size(), 1u);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
  EXPECT_NE(r.error().message.find("message CRC"), std::string::npos);
  // The decoder stays failed: later bytes are not trusted.
  auto again =
      decoder.feed(frames(1), [](const EventStreamMessage&) -> Result<void> { return {}; });
  EXPECT_FALSE(again);
}

TEST(EventStream, PreludeCrcMismatchAndBadLengthsAreErrors) {
  std::string wire = frames(1);
  wire[1] ^= 0x10;
  EventStreamDecoder a;
  Result<void> r;
  decodeAll(a, wire, &r);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("prelude CRC"), std::string::npos);

  // A prelude with a valid CRC but an absurd total length must not make us buffer 4 GiB.
  std::string prelude("\xff\xff\xff\xff\0\0\0\0", 8);
  const uint32_t crc = crc32(prelude);
  for (int s = 24; s >= 0; s -= 8) prelude.push_back(static_cast<char>((crc >> s) & 0xFF));
  EventStreamDecoder b;
  decodeAll(b, prelude, &r);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("length"), std::string::npos);
}

TEST(EventStream, NonStringHeaderTypesAreSkipped) {
  // Headers: ":message-type" string "event", "n" int32 7, "b" bool true, "u" uuid.
  std::string h;
  auto name = [&](std::string_view n) {
    h.push_back(static_cast<char>(n.size()));
    h += n;
  };
  name("n");
  h.push_back(4);
  h += std::string("\0\0\0\x07", 4);
  name("b");
  h.push_back(0);
  name("u");
  h.push_back(9);
  h += std::string(16, 'x');
  name(":message-type");
  h.push_back(7);
  h += std::string("\0\x05", 2) + "event";
  std::string frame;
  const uint32_t total = static_cast<uint32_t>(16 + h.size() + 2);
  auto be32 = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) frame.push_back(static_cast<char>((v >> s) & 0xFF));
  };
  be32(total);
  be32(static_cast<uint32_t>(h.size()));
  be32(crc32(frame));
  frame += h + "{}";
  be32(crc32(frame));
  EventStreamDecoder decoder;
  Result<void> r;
  const auto messages = decodeAll(decoder, frame, &r);
  ASSERT_TRUE(r);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].headers.size(), 1u);
  EXPECT_EQ(messages[0].header(":message-type"), "event");
  EXPECT_EQ(messages[0].payload, "{}");
}

TEST(EventStream, HandlerErrorsStopDecoding) {
  EventStreamDecoder decoder;
  int calls = 0;
  auto r = decoder.feed(frames(3), [&](const EventStreamMessage&) -> Result<void> {
    ++calls;
    return Error::make(ErrorClass::kRateLimited, "stop");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kRateLimited);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace switchyard
