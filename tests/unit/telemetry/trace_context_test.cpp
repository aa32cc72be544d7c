#include "telemetry/trace_context.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

constexpr std::string_view kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, ParsesTheSpecificationExample) {
  auto p = parseTraceparent(kValid);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->sampled);
  EXPECT_EQ(p->traceId[0], 0x4b);
  EXPECT_EQ(p->traceId[15], 0x36);
  EXPECT_EQ(p->parentSpanId[7], 0xb7);
  EXPECT_EQ(formatTraceparent(p->traceId, p->parentSpanId, true), kValid);
  EXPECT_FALSE(
      parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")->sampled);
}

TEST(Traceparent, RejectsMalformedValues) {
  for (std::string_view bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",        // no flags
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // zero span id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // version ff
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",     // upper case
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx",  // extra field in v00
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
       }) {
    EXPECT_FALSE(parseTraceparent(bad)) << bad;
  }
  // A later version may carry more fields.
  EXPECT_TRUE(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-abcd"));
}

TEST(StartTrace, ContinuesTheClientsTrace) {
  FastRandom rng(7);
  auto t = startTrace(kValid, 0.0, rng);
  EXPECT_TRUE(t.sampled);  // the parent's decision wins over the ratio
  EXPECT_TRUE(t.hasParent);
  EXPECT_EQ(t.traceId, parseTraceparent(kValid)->traceId);
  EXPECT_NE(t.spanId, parseTraceparent(kValid)->parentSpanId);
}

TEST(StartTrace, AnUnsampledTraceGetsNoIds) {
  FastRandom rng(7);
  const auto fromClient =
      startTrace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", 1.0, rng);
  EXPECT_FALSE(fromClient.sampled);
  EXPECT_EQ(fromClient.spanId, SpanId{});
  const auto fresh = startTrace("", 0.0, rng);
  EXPECT_FALSE(fresh.sampled);
  EXPECT_EQ(fresh.spanId, SpanId{});
}

TEST(StartTrace, RatioSamplesNewTraces) {
  FastRandom rng(7);
  EXPECT_TRUE(startTrace("", 1.0, rng).sampled);
  EXPECT_FALSE(startTrace("garbage", 0.0, rng).sampled);
  int sampled = 0;
  for (int i = 0; i < 2000; ++i) sampled += startTrace("", 0.25, rng).sampled;
  EXPECT_GT(sampled, 400);
  EXPECT_LT(sampled, 600);
}

}  // namespace
}  // namespace switchyard
