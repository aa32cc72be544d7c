#include "governance/admin_api_spend.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <optional>
#include <tuple>

#include "governance/admin_api_body.hpp"
#include "governance/admin_api_reply.hpp"

namespace switchyard::admin_api {

namespace json = boost::json;

std::optional<AdminReply> readDates(std::string_view query, int64_t& start, int64_t& end) {
  for (auto [name, target, endOfDay] :
       {std::tuple{"start_date", &start, false}, std::tuple{"end_date", &end, true}}) {
    if (auto d = queryParam(query, name)) {
      auto ms = parseDate(*d);
      if (!ms)
        return fail(400, std::string("'") + name + "' must be " + typeName(Type::kTimestamp) + ".",
                    name, "invalid_field");
      // A bare end date includes that whole day.
      *target = *ms + (endOfDay && d->size() == 10 ? 86'400'000 : 0);
    }
  }
  return std::nullopt;
}

AdminReply spendLogs(Store& store, std::string_view query, std::string keyId) {
  SpendQuery q;
  q.keyId = std::move(keyId);
  q.userId = queryParam(query, "user_id").value_or("");
  q.teamId = queryParam(query, "team_id").value_or("");
  q.requestId = queryParam(query, "request_id").value_or("");
  q.model = queryParam(query, "model").value_or("");
  if (auto bad = readDates(query, q.startMs, q.endMs)) return std::move(*bad);
  if (auto l = queryParam(query, "limit")) {
    char* end = nullptr;
    const long long n = std::strtoll(l->c_str(), &end, 10);
    if (l->empty() || *end != '\0' || n < 1 || n > 10000) {
      return fail(400, "'limit' must be a whole number from 1 to 10000.", "limit", "invalid_field");
    }
    q.limit = n;
  }
  auto rows = store.spendLogs(q);
  if (!rows) return storeError(rows.error());
  json::array out;
  for (const auto& r : *rows) {
    out.emplace_back(json::object{
        {"request_id", r.requestId},
        {"api_key", r.keyId},
        {"key_alias", r.keyAlias},
        {"team_id", r.teamId},
        {"user", r.userId},
        {"model", r.model},
        {"model_group", r.modelGroup},
        {"model_id", r.deployment},
        {"custom_llm_provider", r.provider},
        {"startTime", iso(r.startMs)},
        {"endTime", iso(r.endMs)},
        {"prompt_tokens", r.promptTokens},
        {"completion_tokens", r.completionTokens},
        {"total_tokens", r.totalTokens},
        {"spend", r.spend},
        {"status", r.status >= 200 && r.status < 400 ? "success" : "failure"},
        {"cache_hit", r.cacheHit ? "True" : "False"},
        {"metadata", json::object{{"cached_tokens", r.cachedTokens},
                                  {"cache_write_tokens", r.cacheWriteTokens},
                                  {"reasoning_tokens", r.reasoningTokens},
                                  {"cost_known", r.costKnown},
                                  {"http_status", r.status},
                                  {"stream", r.stream},
                                  {"saved_cache_cost", r.savedUsd}}},
        {"messages", r.requestBody.empty() ? json::value(nullptr) : json::value(r.requestBody)}});
  }
  return ok(out);
}

AdminReply spendReport(Store& store, std::string_view query, int64_t now) {
  const std::string by = queryParam(query, "group_by").value_or("team");
  ReportGroup group;
  std::string column;
  if (by == "team") {
    group = ReportGroup::kTeam, column = "team_id";
  } else if (by == "api_key" || by == "key") {
    group = ReportGroup::kKey, column = "api_key";
  } else if (by == "user" || by == "customer") {
    group = ReportGroup::kUser, column = "user_id";
  } else if (by == "model") {
    group = ReportGroup::kModel, column = "model";
  } else if (by == "day") {
    group = ReportGroup::kDay, column = "day";
  } else {
    return fail(400, "'group_by' must be one of team, api_key, user, customer, model, day.",
                "group_by", "invalid_field");
  }
  int64_t start = 0;
  int64_t end = now + 86'400'000;
  if (auto bad = readDates(query, start, end)) return std::move(*bad);
  auto rows = store.spendReport(group, start, end);
  if (!rows) return storeError(rows.error());
  json::array out;
  for (const auto& r : *rows) {
    out.emplace_back(json::object{{"group_by", by},
                                  {column, r.group},
                                  {"total_spend", r.spend},
                                  {"total_tokens", r.totalTokens},
                                  {"requests", r.requests}});
  }
  return ok(out);
}

}  // namespace switchyard::admin_api
