#include "telemetry/otlp_protobuf.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <optional>
#include <vector>

#include "support/span_samples.hpp"

namespace switchyard {
namespace {

// One field of a protobuf message as this test's decoder reads it.
struct Field {
  uint32_t number = 0;
  uint32_t type = 0;
  uint64_t value = 0;      // varint and fixed64
  std::string_view bytes;  // length-delimited
};

std::optional<uint64_t> readVarint(std::string_view& in) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto b = uint8_t(in.front());
    in.remove_prefix(1);
    v |= uint64_t(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  return std::nullopt;
}

// The fields of a message; nullopt when it is not well-formed (a length past the end, ...).
std::optional<std::vector<Field>> decode(std::string_view in) {
  std::vector<Field> out;
  while (!in.empty()) {
    auto tag = readVarint(in);
    if (!tag) return std::nullopt;
    Field f;
    f.number = uint32_t(*tag >> 3);
    f.type = uint32_t(*tag & 7);
    if (f.type == 0) {
      auto v = readVarint(in);
      if (!v) return std::nullopt;
      f.value = *v;
    } else if (f.type == 1) {
      if (in.size() < 8) return std::nullopt;
      std::memcpy(&f.value, in.data(), 8);  // little-endian machine
      in.remove_prefix(8);
    } else if (f.type == 2) {
      auto n = readVarint(in);
      if (!n || *n > in.size()) return std::nullopt;
      f.bytes = in.substr(0, *n);
      in.remove_prefix(*n);
    } else {
      return std::nullopt;
    }
    out.push_back(f);
  }
  return out;
}

std::vector<Field> fieldsOf(std::string_view message) {
  auto f = decode(message);
  EXPECT_TRUE(f.has_value()) << "malformed message";
  return f.value_or(std::vector<Field>{});
}

std::vector<Field> all(const std::vector<Field>& fields, uint32_t number) {
  std::vector<Field> out;
  for (const auto& f : fields) {
    if (f.number == number) out.push_back(f);
  }
  return out;
}

// A KeyValue list as key → AnyValue field (the first, for repeated keys).
std::map<std::string, Field> attributesOf(const std::vector<Field>& kvs) {
  std::map<std::string, Field> out;
  for (const auto& kv : kvs) {
    std::string key;
    Field value;
    for (const auto& f : fieldsOf(kv.bytes)) {
      if (f.number == 1) key = f.bytes;
      if (f.number == 2) {
        const auto any = fieldsOf(f.bytes);
        EXPECT_EQ(any.size(), 1u);
        if (!any.empty()) value = any[0];
      }
    }
    out.emplace(key, value);
  }
  return out;
}

std::string encode(const std::vector<SpanRecord>& spans) {
  TextBuffer out;
  OtlpProtoBatch batch(out, {"svc", "1.2"}, {1'000, 1'700'000'000'000'000'000});
  for (const auto& s : spans) batch.add(s);
  return std::string(batch.finish());
}

// The spans of a request with one ResourceSpans holding one ScopeSpans.
std::vector<Field> spansOf(std::string_view request, std::vector<Field>* resource = nullptr) {
  const auto top = fieldsOf(request);
  EXPECT_EQ(top.size(), 1u);
  if (top.size() != 1) return {};
  const auto rs = fieldsOf(top[0].bytes);
  if (resource) *resource = fieldsOf(all(rs, 1).at(0).bytes);
  const auto ss = all(rs, 2);
  EXPECT_EQ(ss.size(), 1u);
  if (ss.empty()) return {};
  return all(fieldsOf(ss[0].bytes), 2);
}

TEST(OtlpProtobuf, EncodesResourceAndClientSpan) {
  std::vector<Field> resource;
  const std::string request = encode({sampleClientSpan(0xab, true, -3)});  // the fields view it
  const auto spans = spansOf(request, &resource);
  EXPECT_EQ(attributesOf(all(resource, 1)).at("service.name").bytes, "svc");
  ASSERT_EQ(spans.size(), 1u);
  const auto span = fieldsOf(spans[0].bytes);
  EXPECT_EQ(all(span, 1).at(0).bytes, std::string(16, char(0xab)));
  EXPECT_EQ(all(span, 2).at(0).bytes, std::string(8, char(0xac)));
  EXPECT_EQ(all(span, 4).at(0).bytes, std::string(8, char(0x01)));
  EXPECT_EQ(all(span, 5).at(0).bytes, "chat m\"x");
  EXPECT_EQ(all(span, 6).at(0).value, 3u);
  EXPECT_EQ(all(span, 7).at(0).value, 1'700'000'000'000'000'000u);
  EXPECT_EQ(all(span, 8).at(0).value, 1'700'000'000'000'000'123u);
  const auto status = fieldsOf(all(span, 15).at(0).bytes);
  EXPECT_EQ(all(status, 3).at(0).value, 2u);  // STATUS_CODE_ERROR
  const auto attrs = attributesOf(all(span, 9));
  EXPECT_EQ(attrs.at("gen_ai.provider.name").bytes, "openai");
  EXPECT_EQ(attrs.at("server.port").number, 3u);  // int_value
  EXPECT_EQ(attrs.at("server.port").value, 8443u);
  EXPECT_EQ(int64_t(attrs.at("gen_ai.request.max_tokens").value), -3);
  double temperature = 0;
  std::memcpy(&temperature, &attrs.at("gen_ai.request.temperature").value, 8);
  EXPECT_EQ(temperature, 0.5);
  EXPECT_EQ(attrs.at("error.type").bytes, "rate_limited");
}

TEST(OtlpProtobuf, ServerSpanWithoutParentOrErrorLeavesThemOut) {
  SpanRecord s;
  s.traceId.fill(2);
  s.spanId.fill(3);
  s.httpStatus = 200;
  s.attempts = 1;
  s.requestId = s.keep("req-1");
  const std::string request = encode({s});
  const auto spans = spansOf(request);
  ASSERT_EQ(spans.size(), 1u);
  const auto span = fieldsOf(spans[0].bytes);
  EXPECT_TRUE(all(span, 4).empty());
  EXPECT_TRUE(all(span, 15).empty());
  EXPECT_EQ(all(span, 5).at(0).bytes, "POST /v1/chat/completions");
  const auto attrs = attributesOf(all(span, 9));
  EXPECT_EQ(attrs.at("switchyard.request_id").bytes, "req-1");
  EXPECT_EQ(attrs.at("gen_ai.request.stream").number, 2u);  // bool_value, false kept
  EXPECT_EQ(attrs.at("gen_ai.request.stream").value, 0u);
}

TEST(OtlpProtobuf, LargeBatchLengthsAreCanonicalAndConsistent) {
  std::vector<SpanRecord> many;
  for (int i = 0; i < 600; ++i) many.push_back(sampleClientSpan(uint8_t(i), true, -3));
  const std::string request = encode(many);
  const auto spans = spansOf(request);
  ASSERT_EQ(spans.size(), 600u);
  EXPECT_EQ(all(fieldsOf(spans[599].bytes), 1).at(0).bytes, std::string(16, char(599 % 256)));
  // The outer length takes the fewest bytes: tag, then a 3-byte varint for 100 KB to 2 MB.
  ASSERT_GT(request.size(), 1u << 14);
  ASSERT_LT(request.size(), 1u << 21);
  EXPECT_EQ(uint8_t(request[0]), 0x0a);
  EXPECT_EQ(uint8_t(request[3]) & 0x80, 0);
  EXPECT_EQ(request.size(), 4 + size_t(uint8_t(request[1]) & 0x7f) +
                                (size_t(uint8_t(request[2]) & 0x7f) << 7) +
                                (size_t(uint8_t(request[3])) << 14));
}

TEST(OtlpProtobuf, ReusedBufferStartsOver) {
  TextBuffer out;
  for (int round = 0; round < 2; ++round) {
    OtlpProtoBatch batch(out, {"svc", "1.2"}, {});
    batch.add(sampleClientSpan(1, true, -3));
    EXPECT_EQ(spansOf(batch.finish()).size(), 1u);
  }
}

}  // namespace
}  // namespace switchyard
