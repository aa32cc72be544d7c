// The stored Responses API responses: size and age bounds, least-recently-used eviction,
// ownership and responses_store_scope, persistence across a reopen, and instances sharing one
// table (lookup reads what another wrote, sees what another deleted).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>

#include "store/postgres_server.hpp"
#include "store/responses_store.hpp"
#include "store/sql_connection.hpp"

namespace switchyard {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kNow = 1'800'000'000'000;

StoredResponse response(std::string id, std::string owner = "key:a", size_t payload = 100) {
  StoredResponse r;
  r.id = std::move(id);
  r.owner = std::move(owner);
  r.createdAt = kNow / 1000;
  r.model = "claude";
  r.inputItems = "[]";
  r.response = "{\"pad\":\"" + std::string(payload, 'x') + "\"}";
  return r;
}

ResponsesLookup lookup(ResponsesStore& store, std::string id, ResponsesCaller caller) {
  boost::asio::io_context io;
  auto done = boost::asio::co_spawn(io, store.lookup(std::move(id), std::move(caller)),
                                    boost::asio::use_future);
  io.run();
  return done.get();
}

StoredResponse ofTeam(std::string id, std::string owner, std::string team) {
  StoredResponse r = response(std::move(id), std::move(owner));
  r.team = std::move(team);
  return r;
}

TEST(ResponsesStore, ScopeKeyTeamOrGlobal) {
  ResponsesStore store({});
  store.put(ofTeam("resp_t", "key:a", "team-1"), kNow);
  store.put(response("resp_solo", "key:s"), kNow);
  const ResponsesCaller teammate{"key:b", "team-1"};
  const ResponsesCaller stranger{"key:c", "team-2"};
  bool another = false;
  EXPECT_FALSE(store.find("resp_t", teammate, kNow, &another)) << "the default is per key";
  EXPECT_TRUE(another);
  store.setLimits({size_t{64} << 20, kDay, ResponsesScope::kTeam}, kNow);
  EXPECT_TRUE(store.find("resp_t", teammate, kNow));
  EXPECT_FALSE(store.find("resp_t", stranger, kNow, &another));
  EXPECT_TRUE(another);
  EXPECT_FALSE(store.find("resp_t", ResponsesCaller{"key:d", ""}, kNow)) << "a key without a team";
  EXPECT_FALSE(store.find("resp_solo", ResponsesCaller{"key:d", ""}, kNow))
      << "no team is not a team";
  EXPECT_FALSE(store.remove("resp_t", stranger, kNow));
  store.setLimits({size_t{64} << 20, kDay, ResponsesScope::kGlobal}, kNow);
  EXPECT_TRUE(store.find("resp_solo", stranger, kNow));
  EXPECT_TRUE(store.remove("resp_t", stranger, kNow));
  EXPECT_FALSE(store.find("resp_t", ResponsesCaller{"key:a", "team-1"}, kNow));
}

TEST(ResponsesStore, LookupWithoutADatabaseIsFind) {
  ResponsesStore store({});
  store.put(response("resp_1", "key:a"), kNow);
  auto mine = lookup(store, "resp_1", {"key:a", ""});
  EXPECT_TRUE(mine.found);
  EXPECT_FALSE(mine.error);
  auto theirs = lookup(store, "resp_1", {"key:b", ""});
  EXPECT_FALSE(theirs.found);
  EXPECT_TRUE(theirs.another);
  auto none = lookup(store, "resp_none", {"key:a", ""});
  EXPECT_FALSE(none.found);
  EXPECT_FALSE(none.another);
}

TEST(ResponsesStore, FindsOnlyTheOwnersResponse) {
  ResponsesStore store({});
  store.put(response("resp_1", "key:a"), kNow);
  ASSERT_TRUE(store.find("resp_1", "key:a", kNow));
  EXPECT_EQ(store.find("resp_1", "key:a", kNow)->model, "claude");
  bool another = false;
  EXPECT_FALSE(store.find("resp_1", "key:b", kNow, &another));
  EXPECT_TRUE(another);
  EXPECT_FALSE(store.find("resp_2", "key:b", kNow, &another));
  EXPECT_FALSE(another);
  // Another owner cannot delete it either.
  EXPECT_FALSE(store.remove("resp_1", "key:b", kNow));
  EXPECT_TRUE(store.find("resp_1", "key:a", kNow));
  EXPECT_TRUE(store.remove("resp_1", "key:a", kNow));
  EXPECT_FALSE(store.find("resp_1", "key:a", kNow));
  EXPECT_FALSE(store.remove("resp_1", "key:a", kNow));
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.bytes(), 0u);
}

TEST(ResponsesStore, ExpiresAfterTheTtl) {
  ResponsesStore store({size_t{1} << 20, kDay});
  store.put(response("resp_1"), kNow);
  EXPECT_TRUE(store.find("resp_1", "key:a", kNow + kDay - 1));
  EXPECT_FALSE(store.find("resp_1", "key:a", kNow + kDay));
  EXPECT_EQ(store.size(), 0u) << "an expired response is dropped when looked up";
  // The periodic sweep drops expired ones nobody asks for.
  store.put(response("resp_2"), kNow);
  store.put(response("resp_3"), kNow + 2 * kDay);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_TRUE(store.find("resp_3", "key:a", kNow + 2 * kDay));
}

TEST(ResponsesStore, EvictsTheLeastRecentlyUsedBeyondTheSize) {
  const size_t one = response("resp_0").bytes();
  ResponsesStore store({one * 3, kDay});
  store.put(response("resp_0"), kNow);
  store.put(response("resp_1"), kNow);
  store.put(response("resp_2"), kNow);
  EXPECT_EQ(store.bytes(), one * 3);
  ASSERT_TRUE(store.find("resp_0", "key:a", kNow));  // now the most recently used
  store.put(response("resp_3"), kNow);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.find("resp_1", "key:a", kNow)) << "the least recently used went";
  EXPECT_TRUE(store.find("resp_0", "key:a", kNow));
  EXPECT_TRUE(store.find("resp_2", "key:a", kNow));
  EXPECT_TRUE(store.find("resp_3", "key:a", kNow));
  EXPECT_LE(store.bytes(), one * 3);
  // Larger than the whole bound: not kept, nothing else evicted for it.
  store.put(response("resp_big", "key:a", one * 4), kNow);
  EXPECT_FALSE(store.find("resp_big", "key:a", kNow));
  EXPECT_EQ(store.size(), 3u);
  // A smaller bound on reload evicts at once.
  store.setLimits({one, kDay}, kNow);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_TRUE(store.find("resp_3", "key:a", kNow));
}

TEST(ResponsesStore, ReplacingAnIdKeepsOneEntry) {
  ResponsesStore store({});
  store.put(response("resp_1", "key:a", 10), kNow);
  store.put(response("resp_1", "key:a", 20), kNow);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.bytes(), response("resp_1", "key:a", 20).bytes());
}

// The same against SQLite and a real PostgreSQL server (skipped without one).
class ResponsesStorePersisted : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      auto& pg = testing::PostgresServer::instance();
      if (pg.url().empty()) GTEST_SKIP() << pg.why();
      url_ = pg.url();
      // The server is shared by the tests: each starts from an empty table.
      auto db = openStore(url_);
      ASSERT_TRUE(db) << db.error().message;
      ASSERT_TRUE((*db)->loadResponses(0, 1));  // creates the table
      auto conn = openPostgres(url_);
      ASSERT_TRUE(conn) << conn.error().message;
      ASSERT_TRUE((*conn)->query("DELETE FROM sy_responses"));
      return;
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("switchyard-rstore-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    url_ = "sqlite://" + (dir_ / "test.db").string();
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::shared_ptr<ResponsesStore> open(ResponsesStoreLimits limits = {}, bool reads = false) {
    auto db = openStore(url_);
    EXPECT_TRUE(db) << db.error().message;
    std::unique_ptr<Store> reader;
    if (reads) {
      auto second = openStore(url_);
      EXPECT_TRUE(second) << second.error().message;
      reader = std::move(*second);
    }
    auto store = ResponsesStore::open(limits, std::move(*db), std::chrono::milliseconds(5),
                                      std::move(reader));
    EXPECT_TRUE(store) << store.error().message;
    return *store;
  }
  std::filesystem::path dir_;
  std::string url_;
};

TEST_P(ResponsesStorePersisted, SurvivesAReopenWithDeletesAndEvictions) {
  const int64_t now = ResponsesStore::wallMs();
  {
    auto store = open();
    ASSERT_TRUE(store->persistent());
    StoredResponse native = response("resp_up");
    native.deployment = "gpt#0";
    native.inputItems.clear();
    native.response.clear();
    store->put(native, now);
    store->put(response("resp_1", "key:a"), now);
    store->put(response("resp_2", "key:b"), now);
    store->put(response("resp_3", "key:a"), now);
    store->flush();
    EXPECT_TRUE(store->remove("resp_3", "key:a", now));
    store->stop();
  }
  auto store = open();
  EXPECT_EQ(store->size(), 3u);
  auto one = store->find("resp_1", "key:a", now);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->response, response("resp_1").response);
  EXPECT_EQ(one->inputItems, "[]");
  EXPECT_EQ(one->createdAt, kNow / 1000);
  EXPECT_FALSE(store->find("resp_2", "key:a", now)) << "still its owner's only";
  EXPECT_TRUE(store->find("resp_2", "key:b", now));
  EXPECT_FALSE(store->find("resp_3", "key:a", now)) << "deleted before the restart";
  auto up = store->find("resp_up", "key:a", now);
  ASSERT_TRUE(up);
  EXPECT_TRUE(up->native());
  EXPECT_EQ(up->deployment, "gpt#0");
  // Evicted by size: gone from the database too.
  store->setLimits({response("resp_1").bytes(), kDay}, now);
  store->stop();
  EXPECT_EQ(open()->size(), 1u);
}

TEST_P(ResponsesStorePersisted, LoadsNoExpiredRowsAndAtMostTheSize) {
  const int64_t now = ResponsesStore::wallMs();
  {
    auto store = open({size_t{1} << 20, 1000});
    store->put(response("resp_old"), now - 5000);  // expired 4 s ago
    store->put(response("resp_new"), now);
    store->stop();
  }
  auto store = open({response("resp_new").bytes(), kDay});
  EXPECT_EQ(store->size(), 1u);
  EXPECT_TRUE(store->find("resp_new", "key:a", now));
}

// Two gateways on one database: what one stored, the other reads from the table on a miss, for
// its owner only; a copy it evicts stays in the table; a delete by one is seen by the other on
// PostgreSQL, the database instances share.
TEST_P(ResponsesStorePersisted, AnotherInstanceReadsTheTable) {
  const int64_t now = ResponsesStore::wallMs();
  auto a = open({}, true);
  auto b = open({}, true);
  a->put(ofTeam("resp_shared", "key:a", "team-1"), now);
  a->put(response("resp_other", "key:a"), now);
  a->flush();
  EXPECT_EQ(b->size(), 0u);
  auto got = lookup(*b, "resp_shared", {"key:a", ""});
  ASSERT_TRUE(got.found);
  EXPECT_FALSE(got.error);
  EXPECT_EQ(got.found->response, response("resp_shared").response);
  EXPECT_EQ(got.found->team, "team-1");
  EXPECT_EQ(b->size(), 1u) << "kept in memory";
  EXPECT_TRUE(b->find("resp_shared", "key:a", now));
  auto theirs = lookup(*b, "resp_other", {"key:b", ""});
  EXPECT_FALSE(theirs.found);
  EXPECT_TRUE(theirs.another);
  EXPECT_FALSE(lookup(*b, "resp_missing", {"key:a", ""}).found);

  // b's copies leave its memory, not the table.
  b->setLimits({1, kDay}, now);
  EXPECT_EQ(b->size(), 0u);
  b->flush();
  b->setLimits({}, now);
  EXPECT_TRUE(lookup(*b, "resp_other", {"key:a", ""}).found);

  // Deleted through b: gone from the table; a, which holds it, sees that on PostgreSQL.
  ASSERT_TRUE(lookup(*b, "resp_shared", {"key:a", ""}).found);
  EXPECT_TRUE(b->remove("resp_shared", "key:a", now));
  b->flush();
  auto c = open({}, true);
  EXPECT_FALSE(lookup(*c, "resp_shared", {"key:a", ""}).found);
  if (GetParam() == "postgresql") {
    EXPECT_FALSE(lookup(*a, "resp_shared", {"key:a", ""}).found);
    EXPECT_FALSE(a->find("resp_shared", "key:a", now)) << "dropped from memory";
    // One put a moment ago, not written yet: still a's, not confirmed away.
    a->put(response("resp_fresh", "key:a"), now);
    EXPECT_TRUE(lookup(*a, "resp_fresh", {"key:a", ""}).found);
    // ... and b finds it once a's writer committed it (a lookup reads again after a window).
    EXPECT_TRUE(lookup(*b, "resp_fresh", {"key:a", ""}).found);
  }
}

// A table from before responses_store_scope (no team column) gets one.
TEST_P(ResponsesStorePersisted, AddsTheTeamColumnToAnOlderTable) {
  {
    auto conn =
        GetParam() == "postgresql" ? openPostgres(url_) : openSqlite((dir_ / "test.db").string());
    ASSERT_TRUE(conn) << conn.error().message;
    ASSERT_TRUE((*conn)->query("DROP TABLE IF EXISTS sy_responses"));
    ASSERT_TRUE((*conn)->query(
        "CREATE TABLE sy_responses (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at BIGINT "
        "NOT NULL, expires_at BIGINT NOT NULL, model TEXT NOT NULL, deployment TEXT, input_items "
        "TEXT NOT NULL, response TEXT NOT NULL)"));
  }
  const int64_t now = ResponsesStore::wallMs();
  {
    auto store = open();
    store->put(ofTeam("resp_1", "key:a", "team-1"), now);
    store->stop();
  }
  auto store = open();
  auto one = store->find("resp_1", "key:a", now);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->team, "team-1");
}

INSTANTIATE_TEST_SUITE_P(Backends, ResponsesStorePersisted,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace switchyard
