// CPU cost of recording spend, per request, as the batch writer pays it: one SpendBatch per
// flush window (SpendWriter::batchOf: increments, hourly rollups and the log rows) committed to
// SQLite. Variants: spend logs on (the default schema), off (general_settings.disable_spend_logs:
// rollups and increments only), each log index left out in turn and all of them (what each
// costs), the indexes migration 3 dropped put back, and request ids in no order. Prints one line
// per variant: us of CPU per request and the database size.
// Usage: spend_store_bench [requests] [batch]   (defaults 200000 and 1000)
#include <sys/stat.h>
#include <time.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "store/spend_writer.hpp"
#include "store/sql_connection.hpp"
#include "store/store.hpp"

using namespace switchyard;

namespace {

double threadCpuUs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

// Requests as a busy gateway sees them: 50 keys in 5 teams, 3 models, random-looking ids.
SpendLogRow request(int i, int64_t t0) {
  SpendLogRow r;
  // The gateway's own ids (server/request_id.cpp): milliseconds, then random digits.
  char id[48];
  std::snprintf(id, sizeof id, "%012llx%08x%012x", static_cast<unsigned long long>(t0 + i / 10),
                i * 2654435761u, i ^ 0x5bd1e995);
  r.requestId = id;
  r.keyId = "key-hash-" + std::to_string(i % 50);
  r.keyAlias = "alias-" + std::to_string(i % 50);
  r.teamId = "team-" + std::to_string(i % 5);
  r.userId = "user-" + std::to_string(i % 20);
  r.model = i % 3 == 0 ? "gpt-4o-mini" : i % 3 == 1 ? "claude-sonnet-4-5" : "gemini-2.5-flash";
  r.modelGroup = r.model;
  r.deployment = r.model + "-0";
  r.provider = "openai";
  r.startMs = t0 + i / 10;  // 10,000 requests per second
  r.endMs = r.startMs + 300;
  r.promptTokens = 120 + i % 50;
  r.completionTokens = 40 + i % 30;
  r.totalTokens = r.promptTokens + r.completionTokens;
  r.spend = 0.0001;
  r.costKnown = true;
  r.status = 200;
  return r;
}

uint64_t dirBytes(const std::filesystem::path& dir) {
  uint64_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.file_size();
  return n;
}

int run(const char* name, bool logs, bool oldIndexes, int requests, int batchSize,
        std::vector<const char*> drop = {}, bool randomIds = false, bool masterKey = false) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("switchyard-spend-bench-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "spend.db").string();
  auto store = openStore(path);
  if (!store) {
    std::fprintf(stderr, "%s: %s\n", name, store.error().message.c_str());
    return 1;
  }
  if (oldIndexes) {
    auto raw = openSqlite(path);
    for (const char* sql :
         {"CREATE INDEX sy_spend_logs_time ON sy_spend_logs (start_time, spend, total_tokens, "
          "api_key, team_id, user_id, model)",
          "CREATE INDEX sy_spend_logs_team ON sy_spend_logs (team_id, start_time)",
          "CREATE INDEX sy_spend_logs_user ON sy_spend_logs (user_id, start_time)"}) {
      if (!raw || !(*raw)->query(sql)) return 1;
    }
  }
  if (!drop.empty()) {
    auto raw = openSqlite(path);
    for (const char* index : drop) {
      if (!raw || !(*raw)->query(std::string("DROP INDEX ") + index)) return 1;
    }
  }
  const int64_t t0 = 1'800'000'000'000;
  double cpu = 0;
  for (int first = 0; first < requests; first += batchSize) {
    std::vector<SpendLogRow> rows;
    rows.reserve(batchSize);
    for (int i = first; i < first + batchSize && i < requests; ++i) {
      rows.push_back(request(i, t0));
      // make bench's governed gateway: every request on the master key (no key, team or user).
      if (masterKey) {
        rows.back().keyId.clear();
        rows.back().keyAlias.clear();
        rows.back().teamId.clear();
        rows.back().userId.clear();
      }
      // Ids in no order, as clients' own x-request-id values (and the ids before time-ordered
      // ones).
      if (randomIds)
        rows.back().requestId = std::to_string(i * 2654435761u) + "-" + std::to_string(i);
    }
    const double start = threadCpuUs();
    // What SpendWriter::writePending does with a window's rows.
    SpendBatch batch = SpendWriter::batchOf(rows, logs);
    if (auto r = (*store)->writeBatch(batch); !r) {
      std::fprintf(stderr, "%s: %s\n", name, r.error().message.c_str());
      return 1;
    }
    cpu += threadCpuUs() - start;
  }
  store->reset();
  std::printf("%-36s %8.2f us CPU per request  database %6.1f MiB for %d requests\n", name,
              cpu / requests, dirBytes(dir) / 1048576.0, requests);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::atoi(argv[1]) : 200'000;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 1000;
  int rc = 0;
  rc |= run("spend logs on (default)", true, false, requests, batch);
  rc |= run("disable_spend_logs (rollups only)", false, false, requests, batch);
  rc |= run("spend logs on, master key only", true, false, requests, batch, {}, false, true);
  rc |= run("spend logs on + the 3 dropped indexes", true, true, requests, batch);
  rc |= run("spend logs, random request ids", true, false, requests, batch, {}, true);
  rc |= run("spend logs, no request_id index", true, false, requests, batch,
            {"sy_spend_logs_request"});
  rc |= run("spend logs, no (api_key, time) index", true, false, requests, batch,
            {"sy_spend_logs_key"});
  rc |=
      run("spend logs, no start_time index", true, false, requests, batch, {"sy_spend_logs_start"});
  rc |= run("spend logs, no index at all", true, false, requests, batch,
            {"sy_spend_logs_request", "sy_spend_logs_key", "sy_spend_logs_start"});
  return rc;
}
