#include "telemetry/access_log.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>

namespace switchyard {

namespace {
std::atomic<bool> gEnabled{false};

// Whole microseconds: exact enough for a gateway that adds tens of them, and easy to read.
int64_t usSince(std::chrono::steady_clock::time_point from,
                std::chrono::steady_clock::time_point to) {
  if (from.time_since_epoch().count() == 0 || to.time_since_epoch().count() == 0) return -1;
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}
}  // namespace

void setAccessLogEnabled(bool on) { gEnabled.store(on, std::memory_order_relaxed); }
bool accessLogEnabled() { return gEnabled.load(std::memory_order_relaxed); }

std::string formatAccessLog(const RequestContext& ctx) {
  const auto end = std::chrono::steady_clock::now();
  boost::json::object line;
  line["request_id"] = ctx.requestId;
  line["model"] = ctx.request.model;
  line["deployment"] = ctx.deployment ? boost::json::value(ctx.deployment->id) : nullptr;
  line["status"] = ctx.status;
  line["stream"] = ctx.streamed;
  line["attempts"] = ctx.attempts;
  if (!ctx.errorClass.empty()) line["error"] = ctx.errorClass;
  if (ctx.clientGone) line["client_gone"] = true;
  if (ctx.usage.present) {
    line["prompt_tokens"] = ctx.usage.promptTokens;
    line["completion_tokens"] = ctx.usage.completionTokens;
    line["cached_tokens"] = ctx.usage.cachedPromptTokens;
    line["reasoning_tokens"] = ctx.usage.reasoningTokens;
  }
  if (ctx.costKnown) line["cost_usd"] = ctx.costUsd;
  if (!ctx.keyAlias.empty()) line["key_alias"] = ctx.keyAlias;
  if (!ctx.teamId.empty()) line["team_id"] = ctx.teamId;
  line["total_us"] = usSince(ctx.start, end);
  if (ctx.upstreamStart.time_since_epoch().count() != 0) {
    line["upstream_us"] = usSince(ctx.upstreamStart, end);
    line["ttfb_us"] = usSince(ctx.upstreamStart, ctx.firstByte);
  }
  return boost::json::serialize(line);
}

void writeAccessLog(const RequestContext& ctx) {
  std::string text = formatAccessLog(ctx);
  text.push_back('\n');
  [[maybe_unused]] auto n = ::write(STDOUT_FILENO, text.data(), text.size());
}

}  // namespace switchyard
