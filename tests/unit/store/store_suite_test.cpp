// One store test-suite, run against SQLite and against a real PostgreSQL server.
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include "store/postgres_server.hpp"
#include "store/spend_writer.hpp"
#include "store/sql_connection.hpp"
#include "store/store.hpp"

namespace switchyard {
namespace {

class StoreSuite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      auto& pg = testing::PostgresServer::instance();
      if (pg.url().empty()) GTEST_SKIP() << pg.why();
      url_ = pg.url();
      // Each test starts from empty tables on the shared server.
      auto s = openStore(url_);
      ASSERT_TRUE(s) << s.error().message;
    } else {
      dir_ = std::filesystem::temp_directory_path() /
             ("switchyard-store-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite://" + (dir_ / "test.db").string();
    }
    auto s = openStore(url_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    if (GetParam() == "postgresql") clearAll();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void clearAll() {
    auto all = store_->list(std::nullopt);
    ASSERT_TRUE(all);
    for (const auto& p : *all) ASSERT_TRUE(store_->remove(p.kind, p.id));
    marker_ = "run-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  static Principal key(std::string id, std::string team = {}) {
    Principal p;
    p.kind = PrincipalKind::kKey;
    p.id = std::move(id);
    p.keyName = "sk-...abcd";
    p.alias = "alias-" + p.id;
    p.teamId = std::move(team);
    p.models = {"gpt-4o-mini", "claude"};
    p.metadata = R"({"owner":"ops"})";
    p.maxBudget = 1.5;
    p.budgetDuration = "30d";
    p.budgetResetAt = 1'000;
    p.rpmLimit = 10;
    p.expiresAt = 99'000;
    p.createdAt = 5;
    return p;
  }
  SpendLogRow row(std::string keyId, std::string team, int64_t start, double spend) {
    SpendLogRow r;
    r.requestId = marker_ + "-" + std::to_string(start);
    r.keyId = std::move(keyId);
    r.teamId = std::move(team);
    r.userId = "u1";
    r.model = "gpt-4o-mini";
    r.startMs = start;
    r.endMs = start + 10;
    r.promptTokens = 10;
    r.completionTokens = 5;
    r.totalTokens = 15;
    r.cachedTokens = 2;
    r.cacheWriteTokens = 3;
    r.spend = spend;
    r.costKnown = true;
    r.status = 200;
    return r;
  }

  std::string url_;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::string marker_ = "run";
};

TEST_P(StoreSuite, PrincipalsRoundTrip) {
  ASSERT_TRUE(store_->put(key("k1", "t1")));
  auto got = store_->get(PrincipalKind::kKey, "k1");
  ASSERT_TRUE(got && *got);
  const Principal& p = **got;
  EXPECT_EQ(p.alias, "alias-k1");
  EXPECT_EQ(p.teamId, "t1");
  EXPECT_EQ(p.models, (std::vector<std::string>{"gpt-4o-mini", "claude"}));
  EXPECT_EQ(p.metadata, R"({"owner":"ops"})");
  EXPECT_DOUBLE_EQ(*p.maxBudget, 1.5);
  EXPECT_FALSE(p.softBudget);
  EXPECT_EQ(*p.rpmLimit, 10);
  EXPECT_FALSE(p.tpmLimit);
  EXPECT_EQ(p.expiresAt, 99'000);
  EXPECT_EQ(p.budgetDuration, "30d");
  auto none = store_->get(PrincipalKind::kTeam, "k1");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(StoreSuite, UpdateKeepsSpendAndRemoveReportsExistence) {
  ASSERT_TRUE(store_->put(key("k1")));
  ASSERT_TRUE(
      store_->writeBatch({row("k1", "", 100, 0.25)}, {{PrincipalKind::kKey, "k1", 0.25}}, {}));
  Principal changed = key("k1");
  changed.maxBudget = 9.0;
  changed.spend = 0;  // an update never overwrites spend
  ASSERT_TRUE(store_->put(changed));
  auto got = store_->get(PrincipalKind::kKey, "k1");
  ASSERT_TRUE(got && *got);
  EXPECT_DOUBLE_EQ((*got)->spend, 0.25);
  EXPECT_DOUBLE_EQ(*(*got)->maxBudget, 9.0);
  EXPECT_TRUE(*store_->remove(PrincipalKind::kKey, "k1"));
  EXPECT_FALSE(*store_->remove(PrincipalKind::kKey, "k1"));
}

TEST_P(StoreSuite, EndUserSpendCreatesItsRecordThenAddsUp) {
  SpendBatch batch;
  batch.deltas = {{PrincipalKind::kEndUser, "bob", 0.25}, {PrincipalKind::kKey, "nobody", 1.0}};
  batch.nowMs = 1'000;
  ASSERT_TRUE(store_->writeBatch(batch));
  batch.deltas = {{PrincipalKind::kEndUser, "bob", 0.5}};
  ASSERT_TRUE(store_->writeBatch(batch));
  auto got = store_->get(PrincipalKind::kEndUser, "bob");
  ASSERT_TRUE(got && *got);
  EXPECT_DOUBLE_EQ((*got)->spend, 0.75);
  EXPECT_EQ((*got)->createdAt, 1'000);
  // A key is created only through the admin API: its spend alone does not make one.
  EXPECT_FALSE(*store_->get(PrincipalKind::kKey, "nobody"));
  auto endUsers = store_->list(PrincipalKind::kEndUser);
  ASSERT_TRUE(endUsers);
  ASSERT_EQ(endUsers->size(), 1u);
  EXPECT_EQ(endUsers->front().kind, PrincipalKind::kEndUser);
}

TEST_P(StoreSuite, BatchAppliesResetsBeforeIncrementsOnce) {
  ASSERT_TRUE(store_->put(key("k1")));
  ASSERT_TRUE(store_->writeBatch({}, {{PrincipalKind::kKey, "k1", 1.0}}, {}));
  // Reset from period 1000 to 2000, then a new increment.
  ASSERT_TRUE(store_->writeBatch({}, {{PrincipalKind::kKey, "k1", 0.5}},
                                 {{PrincipalKind::kKey, "k1", 1'000, 2'000}}));
  // A second instance applying the same reset finds it done and changes nothing.
  ASSERT_TRUE(store_->writeBatch({}, {}, {{PrincipalKind::kKey, "k1", 1'000, 2'000}}));
  auto got = store_->get(PrincipalKind::kKey, "k1");
  EXPECT_DOUBLE_EQ((*got)->spend, 0.5);
  EXPECT_EQ((*got)->budgetResetAt, 2'000);
}

TEST_P(StoreSuite, SpendLogsFilterOrderAndLimit) {
  std::vector<SpendLogRow> rows;
  for (int i = 0; i < 450; ++i) {  // more than one multi-row INSERT
    rows.push_back(row(i % 2 ? "ka" : "kb", i % 3 ? "t1" : "t2", 1'000'000 + i, 0.001));
  }
  ASSERT_TRUE(store_->writeBatch(rows, {}, {}));
  SpendQuery q;
  q.keyId = "ka";
  q.startMs = 1'000'000;
  q.endMs = 1'000'450;
  q.limit = 1000;
  auto ka = store_->spendLogs(q);
  ASSERT_TRUE(ka) << ka.error().message;
  EXPECT_EQ(ka->size(), 225u);
  EXPECT_GT(ka->front().startMs, ka->back().startMs);  // newest first
  EXPECT_EQ(ka->front().cacheWriteTokens, 3);
  q.limit = 7;
  EXPECT_EQ(store_->spendLogs(q)->size(), 7u);
  SpendQuery byRequest;
  byRequest.requestId = marker_ + "-1000010";
  auto one = store_->spendLogs(byRequest);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().keyId, "kb");
}

// Every column comes back as written, bound in place (SQLite) or sent as text (PostgreSQL);
// empty optional text reads back empty and empty required text stays text.
TEST_P(StoreSuite, LogRowsKeepEveryField) {
  const int64_t t0 = 33'000 * 86'400'000LL;
  SpendLogRow full = row(marker_ + "-full", "tf", t0, 0.125);
  full.keyAlias = "alias with 'quotes' and ünïcode";
  full.modelGroup = "group";
  full.deployment = "dep-1";
  full.provider = "anthropic";
  full.reasoningTokens = 9;
  full.status = 429;
  full.stream = true;
  full.cacheHit = true;
  full.savedUsd = 0.0625;
  full.requestBody = R"({"messages":[{"role":"user","content":"hi"}]})";
  SpendLogRow bare;
  bare.requestId = marker_ + "-bare";
  bare.keyId = marker_ + "-full";
  bare.startMs = t0 + 1;
  ASSERT_TRUE(store_->writeBatch({full, bare}, {}, {}));
  SpendQuery q;
  q.keyId = marker_ + "-full";
  q.startMs = t0;
  auto got = store_->spendLogs(q);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 2u);
  const SpendLogRow& b = (*got)[0];
  EXPECT_EQ(b.requestId, bare.requestId);
  EXPECT_EQ(b.teamId, "");
  EXPECT_EQ(b.keyAlias, "");
  EXPECT_EQ(b.requestBody, "");
  EXPECT_FALSE(b.costKnown);
  const SpendLogRow& f = (*got)[1];
  EXPECT_EQ(f.requestId, full.requestId);
  EXPECT_EQ(f.keyAlias, full.keyAlias);
  EXPECT_EQ(f.teamId, "tf");
  EXPECT_EQ(f.userId, "u1");
  EXPECT_EQ(f.model, "gpt-4o-mini");
  EXPECT_EQ(f.modelGroup, "group");
  EXPECT_EQ(f.deployment, "dep-1");
  EXPECT_EQ(f.provider, "anthropic");
  EXPECT_EQ(f.startMs, t0);
  EXPECT_EQ(f.endMs, t0 + 10);
  EXPECT_EQ(f.promptTokens, 10);
  EXPECT_EQ(f.completionTokens, 5);
  EXPECT_EQ(f.totalTokens, 15);
  EXPECT_EQ(f.cachedTokens, 2);
  EXPECT_EQ(f.cacheWriteTokens, 3);
  EXPECT_EQ(f.reasoningTokens, 9);
  EXPECT_DOUBLE_EQ(f.spend, 0.125);
  EXPECT_TRUE(f.costKnown);
  EXPECT_EQ(f.status, 429);
  EXPECT_TRUE(f.stream);
  EXPECT_TRUE(f.cacheHit);
  EXPECT_DOUBLE_EQ(f.savedUsd, 0.0625);
  EXPECT_EQ(f.requestBody, full.requestBody);
}

TEST_P(StoreSuite, ReportGroups) {
  const int64_t day = 86'400'000;
  const int64_t t0 = 20'000 * day;  // 2024-10-03
  ASSERT_TRUE(store_->writeBatch(
      {row("ka", "t1", t0, 1.0), row("ka", "t2", t0 + 10, 2.0), row("kb", "t1", t0 + day, 4.0)}, {},
      {}));
  auto byTeam = store_->spendReport(ReportGroup::kTeam, t0, t0 + 2 * day);
  ASSERT_TRUE(byTeam) << byTeam.error().message;
  ASSERT_EQ(byTeam->size(), 2u);
  EXPECT_EQ((*byTeam)[0].group, "t1");
  EXPECT_DOUBLE_EQ((*byTeam)[0].spend, 5.0);
  EXPECT_EQ((*byTeam)[0].requests, 2);
  auto byDay = store_->spendReport(ReportGroup::kDay, t0, t0 + 2 * day);
  ASSERT_TRUE(byDay) << byDay.error().message;
  ASSERT_EQ(byDay->size(), 2u);
  EXPECT_EQ((*byDay)[0].group, "2024-10-04");
  EXPECT_DOUBLE_EQ((*byDay)[0].spend, 3.0);
  EXPECT_EQ((*byDay)[0].totalTokens, 30);
  auto byKey = store_->spendReport(ReportGroup::kKey, t0, t0 + 1);
  ASSERT_EQ(byKey->size(), 1u);
  EXPECT_EQ((*byKey)[0].group, "ka");
}

// Rollups are per hour x key x team x user x model x deployment and add up across batches.
TEST_P(StoreSuite, RollupsAddUpAcrossBatchesAndFeedReports) {
  const int64_t hour = 3'600'000;
  const int64_t t0 = 30'000 * 86'400'000LL;  // whole day, far from the other tests' rows
  const std::string k = marker_ + "-rk";
  auto a = row(k, "rt", t0 + 5, 0.5);
  auto b = row(k, "rt", t0 + hour - 1, 0.25);
  b.cacheHit = true;
  b.savedUsd = 0.75;
  auto c = row(k, "rt", t0 + 5, 1.0);
  c.deployment = "other";
  auto d = row(k, "rt", t0 + hour, 2.0);  // the next hour
  ASSERT_TRUE(store_->writeBatch({a, c}, {}, {}));
  ASSERT_TRUE(store_->writeBatch({b, d}, {}, {}));
  auto rollups = store_->spendRollups(t0, t0 + 2 * hour);
  ASSERT_TRUE(rollups) << rollups.error().message;
  std::vector<SpendRollup> mine;
  for (auto& r : *rollups)
    if (r.keyId == k) mine.push_back(r);
  ASSERT_EQ(mine.size(), 3u);
  const SpendRollup* first = nullptr;
  for (auto& r : mine)
    if (r.hour == t0 / hour && r.deployment.empty()) first = &r;
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->requests, 2);
  EXPECT_EQ(first->totalTokens, 30);
  EXPECT_EQ(first->cachedTokens, 4);
  EXPECT_EQ(first->cacheHits, 1);
  EXPECT_DOUBLE_EQ(first->spend, 0.75);
  EXPECT_DOUBLE_EQ(first->savedUsd, 0.75);
  EXPECT_EQ(first->teamId, "rt");
  EXPECT_EQ(first->userId, "u1");
  EXPECT_EQ(first->model, "gpt-4o-mini");
  // A report over the first hour only, and over both.
  auto oneHour = store_->spendReport(ReportGroup::kKey, t0, t0 + hour);
  ASSERT_TRUE(oneHour);
  bool found = false;
  for (auto& g : *oneHour) {
    if (g.group != k) continue;
    found = true;
    EXPECT_EQ(g.requests, 3);
    EXPECT_DOUBLE_EQ(g.spend, 1.75);
  }
  EXPECT_TRUE(found);
  auto byDay = store_->spendReport(ReportGroup::kDay, t0, t0 + 2 * hour);
  ASSERT_TRUE(byDay);
  ASSERT_FALSE(byDay->empty());
  EXPECT_EQ(byDay->front().group, "2052-02-20");
}

// Streams' times to first token are counted into the rollup's buckets, in SQL across batches.
TEST_P(StoreSuite, RollupsCountTimesToFirstTokenInBuckets) {
  const int64_t t0 = 30'500 * 86'400'000LL;
  const std::string k = marker_ + "-ttft";
  auto a = row(k, "", t0 + 1, 0.1);
  a.ttftMs = 120;
  auto b = row(k, "", t0 + 2, 0.1);
  b.ttftMs = 180;
  auto c = row(k, "", t0 + 3, 0.1);  // not a stream: no first token
  auto d = row(k, "", t0 + 4, 0.1);
  d.ttftMs = 2'500;
  ASSERT_TRUE(store_->writeBatch({a, c}, {}, {}));
  ASSERT_TRUE(store_->writeBatch({b, d}, {}, {}));
  auto rollups = store_->spendRollups(t0, t0 + 3'600'000);
  ASSERT_TRUE(rollups) << rollups.error().message;
  const SpendRollup* mine = nullptr;
  for (const auto& r : *rollups)
    if (r.keyId == k) mine = &r;
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->requests, 4);
  TtftCounts expected{};
  expected[ttftBucketOf(150)] = 2;
  expected[ttftBucketOf(2'500)] = 1;
  EXPECT_EQ(mine->ttft, expected);
}

// disable_spend_logs: a batch of rollups and increments only; reports still count it.
TEST_P(StoreSuite, BatchWithoutLogRowsStillCounts) {
  ASSERT_TRUE(store_->put(key("k1")));
  const int64_t t0 = 31'000 * 86'400'000LL;
  const std::string k = marker_ + "-nolog";
  auto r = row(k, "", t0, 0.5);
  SpendBatch batch;
  batch.rollups = rollupsOf({r});
  batch.deltas = {{PrincipalKind::kKey, "k1", 0.5}};
  ASSERT_TRUE(store_->writeBatch(batch));
  SpendQuery q;
  q.keyId = k;
  EXPECT_TRUE(store_->spendLogs(q)->empty());
  auto report = store_->spendReport(ReportGroup::kKey, t0, t0 + 1);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->size(), 1u);
  EXPECT_EQ((*report)[0].requests, 1);
  EXPECT_DOUBLE_EQ((*store_->get(PrincipalKind::kKey, "k1"))->spend, 0.5);
}

TEST_P(StoreSuite, RetentionDeletesOldRowsThenCapsTheRest) {
  const int64_t t0 = 40'000 * 86'400'000LL;  // newer than every other test's rows
  std::vector<SpendLogRow> rows;
  for (int i = 0; i < 100; ++i) rows.push_back(row(marker_ + "-ret", "", t0 + i, 0.01));
  ASSERT_TRUE(store_->writeBatch(rows, {}, {}));
  auto aged = store_->pruneSpendLogs(t0 + 50, 0);
  ASSERT_TRUE(aged) << aged.error().message;
  EXPECT_GE(*aged, 50);
  SpendQuery q;
  q.keyId = marker_ + "-ret";
  q.limit = 1000;
  EXPECT_EQ(store_->spendLogs(q)->size(), 50u);
  auto capped = store_->pruneSpendLogs(0, 20);
  ASSERT_TRUE(capped) << capped.error().message;
  EXPECT_EQ(*capped, 30);
  auto left = store_->spendLogs(q);
  ASSERT_EQ(left->size(), 20u);
  EXPECT_EQ(left->back().startMs, t0 + 80);  // the newest are kept
  EXPECT_EQ(*store_->pruneSpendLogs(0, 20), 0);
  // Reports read the rollups, which retention keeps.
  auto report = store_->spendReport(ReportGroup::kKey, t0, t0 + 1);
  ASSERT_TRUE(report);
  for (auto& g : *report) {
    if (g.group == marker_ + "-ret") {
      EXPECT_EQ(g.requests, 100);
    }
  }
}

TEST_P(StoreSuite, WriterWithoutLogRowsAndWithACapKeepsSpendExact) {
  ASSERT_TRUE(store_->put(key("k1")));
  auto writerStore = openStore(url_);
  ASSERT_TRUE(writerStore);
  SpendWriter::Options o;
  o.window = std::chrono::milliseconds(5);
  o.logRows = false;
  std::vector<SpendDelta> reported;
  std::mutex m;
  SpendWriter writer(std::move(*writerStore), o, [&](const std::vector<SpendDelta>& d) {
    std::lock_guard lock(m);
    reported.insert(reported.end(), d.begin(), d.end());
  });
  const int64_t t0 = 32'000 * 86'400'000LL;
  for (int i = 0; i < 10; ++i) writer.record(row("k1", "", t0 + i, 0.1));
  writer.flush();
  EXPECT_EQ(writer.written(), 10u);
  writer.stop();
  EXPECT_NEAR((*store_->get(PrincipalKind::kKey, "k1"))->spend, 1.0, 1e-9);
  SpendQuery q;
  q.keyId = "k1";
  q.startMs = t0;
  EXPECT_TRUE(store_->spendLogs(q)->empty());
  auto report = store_->spendReport(ReportGroup::kKey, t0, t0 + 1);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->size(), 1u);
  EXPECT_EQ((*report)[0].requests, 10);
  std::lock_guard lock(m);
  double usd = 0;
  for (const auto& d : reported) {
    if (d.kind == PrincipalKind::kKey) usd += d.usd;  // the user of the rows gets the same
  }
  EXPECT_NEAR(usd, 1.0, 1e-9);
}

TEST_P(StoreSuite, WriterRetentionJobPrunesOnItsThread) {
  auto writerStore = openStore(url_);
  ASSERT_TRUE(writerStore);
  SpendWriter::Options o;
  o.window = std::chrono::milliseconds(5);
  o.maxRows = 5;
  o.retentionInterval = std::chrono::milliseconds(1);
  SpendWriter writer(std::move(*writerStore), o, nullptr);
  const int64_t t0 = 41'000 * 86'400'000LL;
  for (int i = 0; i < 12; ++i) writer.record(row(marker_ + "-job", "", t0 + i, 0.0));
  writer.flush();
  SpendQuery q;
  q.keyId = marker_ + "-job";
  q.limit = 100;
  // The job's count is updated after its delete commits: wait for both.
  for (int tries = 0; tries < 400 && (store_->spendLogs(q)->size() > 5 || writer.pruned() < 7);
       ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(store_->spendLogs(q)->size(), 5u);
  EXPECT_GE(writer.pruned(), 7u);
}

TEST_P(StoreSuite, SaltIsStableAndReopenMigratesNothing) {
  auto a = store_->keySalt();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size(), 32u);
  ASSERT_TRUE(store_->put(key("k1")));
  auto again = openStore(url_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*(*again)->keySalt(), *a);
  EXPECT_TRUE(*(*again)->get(PrincipalKind::kKey, "k1"));
}

// A database of schema 3 (rollups without TTFT buckets) gets the bucket columns when opened:
// its rows count none, and new rows add to them.
TEST_P(StoreSuite, AnOlderRollupTableGainsTheTtftBuckets) {
  const int64_t t0 = 30'600 * 86'400'000LL;
  const std::string k = marker_ + "-upgrade";
  ASSERT_TRUE(store_->writeBatch({row(k, "", t0, 0.5)}, {}, {}));
  {
    auto raw =
        GetParam() == "postgresql" ? openPostgres(url_) : openSqlite((dir_ / "test.db").string());
    ASSERT_TRUE(raw) << raw.error().message;
    for (size_t i = 0; i < kTtftBuckets; ++i) {
      auto r =
          (*raw)->query("ALTER TABLE sy_spend_rollups DROP COLUMN " + std::string(ttftColumn(i)));
      ASSERT_TRUE(r) << r.error().message;
    }
    ASSERT_TRUE((*raw)->query("UPDATE sy_meta SET value = '3' WHERE name = 'schema_version'"));
  }
  store_.reset();
  auto s = openStore(url_);
  ASSERT_TRUE(s) << s.error().message;
  store_ = std::move(*s);
  auto streamed = row(k, "", t0 + 1, 0.5);
  streamed.ttftMs = 700;
  ASSERT_TRUE(store_->writeBatch({streamed}, {}, {}));
  auto rollups = store_->spendRollups(t0, t0 + 3'600'000);
  ASSERT_TRUE(rollups) << rollups.error().message;
  const SpendRollup* mine = nullptr;
  for (const auto& r : *rollups)
    if (r.keyId == k) mine = &r;
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->requests, 2);
  TtftCounts expected{};
  expected[ttftBucketOf(700)] = 1;
  EXPECT_EQ(mine->ttft, expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSuite, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// A database from before the rollups (schema 2) gets them filled from its logs when opened.
TEST(StoreMigration, RollupsAreBackfilledFromExistingLogs) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("switchyard-migrate-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "old.db").string();
  {
    auto s = openStore(path);
    ASSERT_TRUE(s) << s.error().message;
    SpendLogRow r;
    r.requestId = "r1";
    r.keyId = "k";
    r.model = "m";
    r.totalTokens = 7;
    r.spend = 0.5;
    r.startMs = 7'200'000;
    SpendBatch logsOnly;
    logsOnly.logs = {r, r};
    logsOnly.logs[1].requestId = "r2";
    ASSERT_TRUE((*s)->writeBatch(logsOnly));
  }
  {
    auto raw = openSqlite(path);
    ASSERT_TRUE(raw);
    ASSERT_TRUE((*raw)->query("DROP TABLE sy_spend_rollups"));
    ASSERT_TRUE((*raw)->query("UPDATE sy_meta SET value = '2' WHERE name = 'schema_version'"));
  }
  auto s = openStore(path);
  ASSERT_TRUE(s) << s.error().message;
  auto rollups = (*s)->spendRollups(0, 86'400'000);
  ASSERT_TRUE(rollups) << rollups.error().message;
  ASSERT_EQ(rollups->size(), 1u);
  EXPECT_EQ((*rollups)[0].hour, 2);
  EXPECT_EQ((*rollups)[0].requests, 2);
  EXPECT_EQ((*rollups)[0].totalTokens, 14);
  EXPECT_DOUBLE_EQ((*rollups)[0].spend, 1.0);
  std::filesystem::remove_all(dir);
}

// A database from schema 4 keeps its rows when its key index becomes partial (migration 5), and a
// query by key still reads that index rather than scanning the table.
TEST(StoreMigration, KeyIndexLeavesOutEmptyKeysAndQueriesByKeyUseIt) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("switchyard-migrate4-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "old.db").string();
  {
    auto s = openStore(path);
    ASSERT_TRUE(s) << s.error().message;
    auto raw = openSqlite(path);
    ASSERT_TRUE(raw);
    ASSERT_TRUE((*raw)->query("DROP INDEX sy_spend_logs_key"));
    ASSERT_TRUE(
        (*raw)->query("CREATE INDEX sy_spend_logs_key ON sy_spend_logs (api_key, start_time)"));
    ASSERT_TRUE((*raw)->query("UPDATE sy_meta SET value = '4' WHERE name = 'schema_version'"));
    SpendLogRow keyed;
    keyed.requestId = "r1";
    keyed.keyId = "k";
    keyed.startMs = 1'000;
    SpendLogRow master = keyed;
    master.requestId = "r2";
    master.keyId.clear();
    SpendBatch batch;
    batch.logs = {keyed, master};
    ASSERT_TRUE((*s)->writeBatch(batch));
  }
  auto s = openStore(path);
  ASSERT_TRUE(s) << s.error().message;
  SpendQuery all;
  EXPECT_EQ((*s)->spendLogs(all)->size(), 2u);
  SpendQuery byKey;
  byKey.keyId = "k";
  auto rows = (*s)->spendLogs(byKey);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().requestId, "r1");
  auto raw = openSqlite(path);
  ASSERT_TRUE(raw);
  auto sql = (*raw)->query("SELECT sql FROM sqlite_master WHERE name = 'sy_spend_logs_key'");
  ASSERT_TRUE(sql && sql->size() == 1u);
  EXPECT_NE((*sql)[0][0]->find("WHERE api_key <> ''"), std::string::npos);
  auto plan = (*raw)->query(
      "EXPLAIN QUERY PLAN SELECT request_id FROM sy_spend_logs WHERE start_time >= 0 AND "
      "api_key = ? AND api_key <> '' ORDER BY start_time DESC LIMIT 100",
      {std::string("k")});
  ASSERT_TRUE(plan) << plan.error().message;
  std::string detail;
  for (const auto& r : *plan) detail += r.back().value_or("") + "\n";
  EXPECT_NE(detail.find("sy_spend_logs_key"), std::string::npos) << detail;
  std::filesystem::remove_all(dir);
}

TEST(StoreOpen, BadUrlsFailClearly) {
  auto pg = openStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(pg);
  EXPECT_NE(pg.error().message.find("postgresql: cannot connect"), std::string::npos);
  auto sqlite = openStore("sqlite:///nonexistent-dir/x/y.db");
  ASSERT_FALSE(sqlite);
  EXPECT_NE(sqlite.error().message.find("sqlite: cannot open"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
