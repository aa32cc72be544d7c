// The response cache's Redis level against a throwaway redis-server: entries one instance keeps
// are hits for another, only in their own namespace (even under a forged key), with the entry's
// TTL, bounded in size, flushed by namespace; Redis down is a quick miss and Redis back is hits
// again. And the entry codec: a round trip keeps what a replay and accounting need, and bytes
// that are not an entry never decode.

#include "stages/cache/redis_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "stages/cache/cached_answer_codec.hpp"
#include "store/redis_server.hpp"

namespace switchyard {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

CacheKey key(uint64_t n) { return CacheKey{n, n * 7919}; }

std::shared_ptr<CachedAnswer> answer(std::string ns, std::string_view text,
                                     Clock::duration ttl = 60s) {
  auto a = std::make_shared<CachedAnswer>();
  a->nameSpace = std::move(ns);
  a->model = "gpt-4o-mini";
  a->deployment = "d1";
  a->provider = "openai";
  a->costUsd = 0.0125;
  a->costKnown = true;
  a->usage.present = true;
  a->usage.promptTokens = 12;
  a->usage.completionTokens = 3;
  a->usage.totalTokens = 15;
  a->answer.onEvent(StreamEvent::start("chatcmpl-1", "gpt-4o-mini", 1700000000));
  a->answer.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, text));
  a->answer.onEvent(StreamEvent::toolCall(0, "call_1", "lookup"));
  a->answer.onEvent(StreamEvent::toolArguments(0, R"({"q":"x"})"));
  a->answer.onEvent(StreamEvent::finish("stop", 0, "END"));
  a->answer.onEvent(StreamEvent::usageIs(a->usage));
  a->answer.onEvent(StreamEvent::end());
  a->storedAt = Clock::now();
  a->expiresAt = a->storedAt + ttl;
  return a;
}

// The events of a replay, as text, to compare two answers.
class Transcript final : public EventSink {
 public:
  void onEvent(const StreamEvent& e) override {
    text += std::to_string(static_cast<int>(e.kind)) + "|" + std::to_string(e.choice) + "|" +
            std::to_string(e.index) + "|" + std::to_string(e.created) + "|" + std::string(e.text) +
            "|" + std::string(e.id) + "|" + std::string(e.name) + "|" + std::string(e.matchedStop);
    if (e.usage) text += "|u" + std::to_string(e.usage->totalTokens);
    text += "\n";
  }
  std::string text;
};

std::string transcript(const CachedAnswer& a) {
  Transcript t;
  a.answer.replay(t);
  return t.text;
}

template <class T>
T await(Task<T> task) {
  asio::io_context io;
  auto done = asio::co_spawn(io, std::move(task), asio::use_future);
  io.run();
  return done.get();
}

TEST(CachedAnswerCodec, RoundTripKeepsEventsAccountingAndTimes) {
  const auto original = answer("key:a/docs", "hello there");
  const ClockPair now = ClockPair::now();
  const std::string bytes = encodeCachedAnswer(*original, now);
  // Compact: the text and a few bytes per event, not a JSON document.
  EXPECT_LT(bytes.size(), 256u);
  const auto decoded = decodeCachedAnswer(bytes, now);
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(decoded->nameSpace, "key:a/docs");
  EXPECT_EQ(decoded->model, "gpt-4o-mini");
  EXPECT_EQ(decoded->deployment, "d1");
  EXPECT_EQ(decoded->provider, "openai");
  EXPECT_DOUBLE_EQ(decoded->costUsd, 0.0125);
  EXPECT_TRUE(decoded->costKnown);
  EXPECT_EQ(decoded->usage.totalTokens, 15);
  EXPECT_EQ(transcript(*decoded), transcript(*original));
  EXPECT_TRUE(decoded->answer.complete());
  // Times survive to the millisecond.
  EXPECT_LE(std::chrono::abs(decoded->expiresAt - original->expiresAt), 1ms);
  EXPECT_LE(std::chrono::abs(decoded->storedAt - original->storedAt), 1ms);
}

TEST(CachedAnswerCodec, BytesThatAreNotAnEntryNeverDecode) {
  const ClockPair now = ClockPair::now();
  const std::string bytes = encodeCachedAnswer(*answer("key:a", "hello"), now);
  // Every truncation, and every single flipped byte that breaks the structure, is refused
  // (never a crash; a flip inside text may still decode, as the same entry with other text).
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(decodeCachedAnswer(std::string_view(bytes).substr(0, n), now), nullptr) << n;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0xff);
    (void)decodeCachedAnswer(flipped, now);
  }
  EXPECT_EQ(decodeCachedAnswer(bytes + "x", now), nullptr);
  EXPECT_EQ(decodeCachedAnswer("SYC1\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", now), nullptr);
  EXPECT_EQ(decodeCachedAnswer("not an entry", now), nullptr);
  // An answer that never ended is not an entry either.
  CachedAnswer partial;
  partial.nameSpace = "key:a";
  partial.answer.onEvent(StreamEvent::start("id", "m", 1));
  partial.expiresAt = partial.storedAt = Clock::now();
  EXPECT_EQ(decodeCachedAnswer(encodeCachedAnswer(partial, now), now), nullptr);
}

class RedisCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (redis_.port() == 0 || !redis_.why().empty()) GTEST_SKIP() << redis_.why();
  }
  RedisEndpoint endpoint() const { return redis_.endpoint(); }
  // What Redis holds, read directly.
  RedisReply command(RedisCommand c) {
    RedisConnection direct(redis_.endpoint());
    auto r = direct.run({std::move(c)});
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->front() : RedisReply{};
  }
  // store() does not wait: wait until Redis has the key.
  void waitForKey(const std::string& k) {
    for (int i = 0; i < 200; ++i) {
      if (command({"EXISTS", k}).integer == 1) return;
      std::this_thread::sleep_for(5ms);
    }
    FAIL() << "never stored: " << k;
  }
  testing::RedisServer redis_;
};

TEST_F(RedisCacheTest, AnEntryOneInstanceKeepsIsAHitForAnotherInItsNamespaceOnly) {
  RedisCache a(endpoint(), 1 << 20);
  RedisCache b(endpoint(), 1 << 20);
  const auto kept = answer("key:a", "shared answer", 30s);
  a.store(key(1), *kept);
  waitForKey(RedisCache::redisKey(key(1), "key:a"));
  // The entry's TTL is the key's.
  const int64_t pttl = command({"PTTL", RedisCache::redisKey(key(1), "key:a")}).integer;
  EXPECT_GT(pttl, 25'000);
  EXPECT_LE(pttl, 30'000);

  const auto hit = await(b.find(key(1), "key:a"));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(transcript(*hit), transcript(*kept));
  EXPECT_EQ(b.counters().hits.load(), 1u);
  EXPECT_EQ(await(b.find(key(1), "key:b")), nullptr);
  EXPECT_EQ(await(b.find(key(2), "key:a")), nullptr);
  EXPECT_EQ(b.counters().misses.load(), 2u);
  // s-maxage: younger than asked, or a miss.
  EXPECT_EQ(await(b.find(key(1), "key:a", 0ms)), nullptr);
}

TEST_F(RedisCacheTest, AnEntryUnderAnotherNamespacesKeyIsNeverServed) {
  // As if two namespaces' keys collided: key:a's entry sits where key:b looks.
  const ClockPair now = ClockPair::now();
  command({"SET", RedisCache::redisKey(key(1), "key:b"),
           encodeCachedAnswer(*answer("key:a", "tenant a's answer"), now)});
  RedisCache b(endpoint(), 1 << 20);
  EXPECT_EQ(await(b.find(key(1), "key:b")), nullptr);
  EXPECT_EQ(b.counters().rejected.load(), 1u);
  // Garbage is a miss too.
  command({"SET", RedisCache::redisKey(key(2), "key:b"), "garbage"});
  EXPECT_EQ(await(b.find(key(2), "key:b")), nullptr);
  EXPECT_EQ(b.counters().rejected.load(), 2u);
  EXPECT_EQ(b.counters().hits.load(), 0u);
}

TEST_F(RedisCacheTest, AnswersLargerThanTheBoundAreNotSent) {
  RedisCache small(endpoint(), 200);
  small.store(key(1), *answer("key:a", std::string(500, 'x')));
  small.store(key(2), *answer("key:a", "short"));
  waitForKey(RedisCache::redisKey(key(2), "key:a"));
  EXPECT_EQ(command({"EXISTS", RedisCache::redisKey(key(1), "key:a")}).integer, 0);
  EXPECT_EQ(small.counters().tooLarge.load(), 1u);
  EXPECT_EQ(small.counters().stores.load(), 1u);
}

TEST_F(RedisCacheTest, FlushDeletesANamespaceAndTheOnesUnderItOnly) {
  RedisCache c(endpoint(), 1 << 20);
  const std::vector<std::string> spaces = {"key:a", "key:a/docs", "key:ab", "key:b"};
  for (size_t i = 0; i < spaces.size(); ++i) {
    c.store(key(i), *answer(spaces[i], "x"));
    waitForKey(RedisCache::redisKey(key(i), spaces[i]));
  }
  command({"SET", "unrelated", "1"});
  auto flushed = await(c.flush("key:a"));
  ASSERT_TRUE(flushed);
  EXPECT_EQ(*flushed, 2u);
  EXPECT_EQ(command({"EXISTS", RedisCache::redisKey(key(0), "key:a")}).integer, 0);
  EXPECT_EQ(command({"EXISTS", RedisCache::redisKey(key(1), "key:a/docs")}).integer, 0);
  EXPECT_EQ(command({"EXISTS", RedisCache::redisKey(key(2), "key:ab")}).integer, 1);
  EXPECT_EQ(command({"EXISTS", RedisCache::redisKey(key(3), "key:b")}).integer, 1);
  // Without a namespace: every entry of the cache, nothing else.
  auto all = await(c.flush(""));
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, 2u);
  EXPECT_EQ(command({"EXISTS", "unrelated"}).integer, 1);
}

TEST_F(RedisCacheTest, FlushPagesThroughManyKeys) {
  RedisCache c(endpoint(), 1 << 20);
  const ClockPair now = ClockPair::now();
  const std::string bytes = encodeCachedAnswer(*answer("key:a", "x"), now);
  std::vector<RedisCommand> sets;
  for (uint64_t i = 0; i < 2500; ++i)
    sets.push_back({"SET", RedisCache::redisKey(key(i), "key:a"), bytes});
  RedisConnection direct(endpoint());
  ASSERT_TRUE(direct.run(sets));
  auto flushed = await(c.flush("key:a"));
  ASSERT_TRUE(flushed);
  EXPECT_EQ(*flushed, 2500u);
  EXPECT_EQ(command({"DBSIZE"}).integer, 0);
}

TEST_F(RedisCacheTest, RedisDownIsAQuickMissAndRedisBackIsHitsAgain) {
  RedisCache c(endpoint(), 1 << 20);
  c.store(key(1), *answer("key:a", "kept"));
  waitForKey(RedisCache::redisKey(key(1), "key:a"));
  ASSERT_NE(await(c.find(key(1), "key:a")), nullptr);

  redis_.stop();
  for (int i = 0; i < 20; ++i) {
    const auto t0 = Clock::now();
    EXPECT_EQ(await(c.find(key(1), "key:a")), nullptr);
    // Never longer than the timeout (200 ms here), and at once once it is known down.
    EXPECT_LT(Clock::now() - t0, 400ms);
  }
  EXPECT_FALSE(c.up());
  EXPECT_EQ(c.counters().errors.load(), 20u);
  c.store(key(2), *answer("key:a", "lost"));
  auto flushed = await(c.flush("key:a"));
  EXPECT_FALSE(flushed);

  redis_.start();
  c.store(key(1), *answer("key:a", "kept again"));
  // Within a probe interval it answers again.
  std::shared_ptr<const CachedAnswer> hit;
  for (int i = 0; i < 100 && !hit; ++i) {
    c.store(key(1), *answer("key:a", "kept again"));
    std::this_thread::sleep_for(30ms);
    hit = await(c.find(key(1), "key:a"));
  }
  ASSERT_NE(hit, nullptr);
  EXPECT_TRUE(c.up());
}

TEST_F(RedisCacheTest, AHungRedisCostsOneTimeoutThenMissesAtOnce) {
  RedisCache c(endpoint(), 1 << 20);
  c.store(key(1), *answer("key:a", "kept"));
  waitForKey(RedisCache::redisKey(key(1), "key:a"));
  redis_.pause();
  auto t0 = Clock::now();
  EXPECT_EQ(await(c.find(key(1), "key:a")), nullptr);
  const auto first = Clock::now() - t0;
  EXPECT_GE(first, 150ms);  // it waited for the timeout (200 ms) ...
  EXPECT_LT(first, 400ms);  // ... and no longer
  // The thread's own round trip times out too; from then on look-ups do not wait.
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(c.up());
  t0 = Clock::now();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(await(c.find(key(1), "key:a")), nullptr);
  EXPECT_LT(Clock::now() - t0, 100ms);
  redis_.resume();
  std::shared_ptr<const CachedAnswer> hit;
  for (int i = 0; i < 100 && !hit; ++i) {
    std::this_thread::sleep_for(30ms);
    hit = await(c.find(key(1), "key:a"));
  }
  EXPECT_NE(hit, nullptr);
}

}  // namespace
}  // namespace switchyard
