#include "governance/admin_api_reply.hpp"

#include <boost/json.hpp>
#include <ctime>

namespace switchyard::admin_api {

namespace json = boost::json;

AdminReply fail(int status, std::string message, std::string param, std::string code) {
  Error e = Error::make(status == 404   ? ErrorClass::kNotFound
                        : status == 403 ? ErrorClass::kForbidden
                        : status >= 500 ? ErrorClass::kInternal
                                        : ErrorClass::kBadRequest,
                        std::move(message), std::move(param), std::move(code));
  e.status = status;
  return {status, e.toOpenAiJson()};
}

AdminReply storeError(const Error& e) {
  return fail(500, "Store error: " + e.message, {}, "store_error");
}

AdminReply ok(const json::value& v) { return {200, json::serialize(v)}; }

std::string iso(int64_t ms) {
  if (ms <= 0) return {};
  const std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

json::value isoOrNull(int64_t ms) { return ms > 0 ? json::value(iso(ms)) : json::value(nullptr); }

}  // namespace

json::object principalJson(const Principal& p) {
  json::object o;
  json::array models;
  for (const auto& m : p.models) models.emplace_back(m);
  boost::system::error_code ec;
  json::value metadata = json::parse(p.metadata, ec);
  if (ec) metadata = json::object();
  auto opt = [](const auto& v) { return v ? json::value(*v) : json::value(nullptr); };
  switch (p.kind) {
    case PrincipalKind::kKey:
      o["token"] = p.id;
      o["key_name"] = p.keyName;
      o["key_alias"] = p.alias.empty() ? json::value(nullptr) : json::value(p.alias);
      o["expires"] = isoOrNull(p.expiresAt);
      o["team_id"] = p.teamId.empty() ? json::value(nullptr) : json::value(p.teamId);
      o["user_id"] = p.userId.empty() ? json::value(nullptr) : json::value(p.userId);
      break;
    case PrincipalKind::kTeam:
      o["team_id"] = p.id;
      o["team_alias"] = p.alias.empty() ? json::value(nullptr) : json::value(p.alias);
      break;
    case PrincipalKind::kUser:
      o["user_id"] = p.id;
      o["user_email"] = p.email.empty() ? json::value(nullptr) : json::value(p.email);
      o["team_id"] = p.teamId.empty() ? json::value(nullptr) : json::value(p.teamId);
      break;
    case PrincipalKind::kEndUser:  // LiteLLM's customer (admin_api_customers.cpp)
      o["user_id"] = p.id;
      o["alias"] = p.alias.empty() ? json::value(nullptr) : json::value(p.alias);
      break;
  }
  o["models"] = std::move(models);
  o["spend"] = p.spend;
  o["max_budget"] = opt(p.maxBudget);
  o["soft_budget"] = opt(p.softBudget);
  o["budget_duration"] =
      p.budgetDuration.empty() ? json::value(nullptr) : json::value(p.budgetDuration);
  o["budget_reset_at"] = isoOrNull(p.budgetResetAt);
  o["tpm_limit"] = opt(p.tpmLimit);
  o["rpm_limit"] = opt(p.rpmLimit);
  o["max_parallel_requests"] = opt(p.maxParallelRequests);
  o["metadata"] = std::move(metadata);
  o["blocked"] = p.blocked;
  o["created_at"] = isoOrNull(p.createdAt);
  o["updated_at"] = isoOrNull(p.updatedAt);
  return o;
}

}  // namespace switchyard::admin_api
