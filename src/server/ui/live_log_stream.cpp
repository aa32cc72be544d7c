#include "server/ui/live_log_stream.hpp"

#include <charconv>

#include "governance/admin_api_body.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"
#include "telemetry/live_log.hpp"

namespace switchyard {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(250);
// Comments keep proxies from closing an idle stream and find a client that went away.
constexpr auto kKeepAliveInterval = std::chrono::seconds(15);
constexpr size_t kMaxPerWrite = 200;
constexpr uint64_t kDefaultBacklog = 100;

uint64_t parseCount(std::string_view text, uint64_t fallback) {
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() ? n : fallback;
}

}  // namespace

Task<void> streamLiveLog(Worker& worker, HttpRequest& request, Responder& responder) {
  LiveLog* live = &worker.state().liveLog;
  // Watching starts before the backlog is read, so no request falls between the two.
  LiveLog::Watch watch(*live);
  const std::string_view target = request.target();
  const auto q = target.find('?');
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  const uint64_t newest = live->newest();
  uint64_t cursor;
  if (const auto last = request["last-event-id"]; !last.empty()) {
    cursor = std::min(parseCount(last, newest), newest);
  } else {
    const uint64_t backlog = std::min<uint64_t>(
        parseCount(admin_api::queryParam(query, "backlog").value_or(""), kDefaultBacklog),
        LiveLog::kCapacity);
    cursor = newest - std::min(backlog, newest);
  }
  responder.addHeader("x-accel-buffering", "no");
  if (!co_await responder.beginStream()) co_return;
  // A comment at once, so the browser's EventSource reports the stream open.
  std::string out = ": live request log\n\n";
  std::vector<LiveLog::Entry> batch;
  SteadyTimer timer(worker.ioc().get_executor());
  auto lastWrite = std::chrono::steady_clock::now() - kKeepAliveInterval;
  while (!worker.state().draining.load(std::memory_order_relaxed)) {
    batch.clear();
    cursor = live->readAfter(cursor, kMaxPerWrite, batch);
    for (const auto& e : batch) {
      out += "id: ";
      out += std::to_string(e.sequence);
      out += "\nevent: request\ndata: ";
      out += e.line;
      out += "\n\n";
    }
    const auto now = std::chrono::steady_clock::now();
    if (out.empty() && now - lastWrite >= kKeepAliveInterval) out = ": keep-alive\n\n";
    if (!out.empty()) {
      if (!co_await responder.streamData(out)) co_return;
      out.clear();
      lastWrite = now;
    }
    timer.expires_after(kPollInterval);
    co_await timer.async_wait(kUseTuple);
  }
  co_await responder.endStream();
}

}  // namespace switchyard
