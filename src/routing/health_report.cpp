#include "routing/health_report.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "routing/deployment_state.hpp"

namespace switchyard {

std::string healthReportJson(const Snapshot& snapshot) {
  boost::json::array list;
  int64_t healthy = 0;
  for (const auto& h : deploymentHealthSnapshot(snapshot)) {
    const bool ok = h.breaker != BreakerState::kOpen && !h.rateLimited;
    healthy += ok ? 1 : 0;
    boost::json::object o;
    o["id"] = h.id;
    o["model_name"] = h.modelName;
    o["provider"] = h.provider;
    o["api_base_host"] = h.apiBaseHost;
    o["state"] = breakerStateName(h.breaker);
    o["cooldown_remaining_s"] = h.cooldownRemainingSeconds;
    o["rate_limited"] = h.rateLimited;
    o["in_flight"] = h.inFlight;
    o["requests_this_minute"] = h.requestsThisMinute;
    o["tokens_this_minute"] = h.tokensThisMinute;
    o["failures_this_minute"] = h.recentFailures;
    o["total_requests"] = h.totalRequests;
    o["total_failures"] = h.totalFailures;
    o["latency_ms"] =
        h.latencyMs < 0 ? boost::json::value(nullptr) : boost::json::value(h.latencyMs);
    o["ttft_ms"] = h.ttftMs < 0 ? boost::json::value(nullptr) : boost::json::value(h.ttftMs);
    o["last_error"] =
        h.lastError.empty() ? boost::json::value(nullptr) : boost::json::value(h.lastError);
    list.push_back(std::move(o));
  }
  boost::json::object root;
  root["healthy_count"] = healthy;
  root["unhealthy_count"] = static_cast<int64_t>(list.size()) - healthy;
  root["deployments"] = std::move(list);
  return boost::json::serialize(root);
}

}  // namespace switchyard
