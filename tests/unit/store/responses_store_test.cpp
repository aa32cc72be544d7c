// The stored Responses API responses: size and age bounds, least-recently-used eviction,
// ownership, and persistence through the SQLite store across a reopen.
#include <gtest/gtest.h>

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
  std::shared_ptr<ResponsesStore> open(ResponsesStoreLimits limits = {}) {
    auto db = openStore(url_);
    EXPECT_TRUE(db) << db.error().message;
    auto store = ResponsesStore::open(limits, std::move(*db), std::chrono::milliseconds(5));
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

INSTANTIATE_TEST_SUITE_P(Backends, ResponsesStorePersisted,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace switchyard
