// The in-process store: LRU within a byte bound, TTL, max age, namespaces and flushes.

#include "stages/cache/response_cache.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

using Clock = ResponseCache::Clock;
using namespace std::chrono_literals;

CacheKey key(uint64_t n) { return CacheKey{n, n * 7919}; }

std::shared_ptr<CachedAnswer> answer(std::string ns, std::string_view text, Clock::time_point at,
                                     Clock::duration ttl = 60s) {
  auto a = std::make_shared<CachedAnswer>();
  a->nameSpace = std::move(ns);
  a->answer.onEvent(StreamEvent::start("id", "m", 1));
  a->answer.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, text));
  a->answer.onEvent(StreamEvent::finish("stop"));
  a->answer.onEvent(StreamEvent::end());
  a->storedAt = at;
  a->expiresAt = at + ttl;
  return a;
}

TEST(ResponseCache, FindsWhatItKeptOnlyInItsNamespace) {
  ResponseCache cache(1 << 20, 4);
  const auto now = Clock::now();
  cache.insert(key(1), answer("key:a", "hello", now));
  ASSERT_NE(cache.find(key(1), "key:a", now), nullptr);
  EXPECT_EQ(cache.find(key(1), "key:b", now), nullptr);
  EXPECT_EQ(cache.find(key(2), "key:a", now), nullptr);
  EXPECT_EQ(cache.entries(), 1u);
}

TEST(ResponseCache, ExpiresAfterTtlAndHonoursMaxAge) {
  ResponseCache cache(1 << 20, 1);
  const auto t0 = Clock::now();
  cache.insert(key(1), answer("ns", "x", t0, 10s));
  EXPECT_NE(cache.find(key(1), "ns", t0 + 5s), nullptr);
  EXPECT_EQ(cache.find(key(1), "ns", t0 + 5s, 2s), nullptr);  // s-maxage: too old for this one
  EXPECT_NE(cache.find(key(1), "ns", t0 + 5s, 6s), nullptr);
  EXPECT_EQ(cache.find(key(1), "ns", t0 + 10s), nullptr);
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.counters().expirations.load(), 1u);
}

TEST(ResponseCache, StaysWithinItsBytesEvictingTheLeastRecentlyUsed) {
  const auto now = Clock::now();
  const std::string text(1000, 'x');
  const size_t one = answer("ns", text, now)->bytes();
  // Room for about three entries in its one shard.
  ResponseCache cache(one * 3 + one / 2, 1);
  cache.insert(key(1), answer("ns", text, now));
  cache.insert(key(2), answer("ns", text, now));
  cache.insert(key(3), answer("ns", text, now));
  ASSERT_NE(cache.find(key(1), "ns", now), nullptr);  // 1 is now the most recently used
  cache.insert(key(4), answer("ns", text, now));
  EXPECT_LE(cache.bytes(), cache.maxBytes());
  EXPECT_EQ(cache.find(key(2), "ns", now), nullptr);  // the least recently used went
  EXPECT_NE(cache.find(key(1), "ns", now), nullptr);
  EXPECT_NE(cache.find(key(4), "ns", now), nullptr);
  EXPECT_GE(cache.counters().evictions.load(), 1u);
  for (uint64_t i = 10; i < 100; ++i) cache.insert(key(i), answer("ns", text, now));
  EXPECT_LE(cache.bytes(), cache.maxBytes());
}

TEST(ResponseCache, NeverKeepsAnAnswerLargerThanAShard) {
  const auto now = Clock::now();
  ResponseCache cache(4096, 1);
  cache.insert(key(1), answer("ns", std::string(10000, 'x'), now));
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.counters().tooLarge.load(), 1u);
}

TEST(ResponseCache, ReplacingAnEntryKeepsOneCopy) {
  const auto now = Clock::now();
  ResponseCache cache(1 << 20, 1);
  cache.insert(key(1), answer("ns", "a", now));
  const size_t bytes = cache.bytes();
  cache.insert(key(1), answer("ns", "b", now));
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), bytes);
}

TEST(ResponseCache, FlushDropsANamespaceAndWhatIsUnderIt) {
  const auto now = Clock::now();
  ResponseCache cache(1 << 20, 4);
  cache.insert(key(1), answer("key:a", "x", now));
  cache.insert(key(2), answer("key:a/docs", "x", now));
  cache.insert(key(3), answer("key:ab", "x", now));
  cache.insert(key(4), answer("key:b", "x", now));
  EXPECT_EQ(cache.flush("key:a"), 2u);
  EXPECT_EQ(cache.find(key(1), "key:a", now), nullptr);
  EXPECT_NE(cache.find(key(3), "key:ab", now), nullptr);  // a namespace sharing the prefix stays
  EXPECT_EQ(cache.flush(""), 2u);
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

}  // namespace
}  // namespace switchyard
