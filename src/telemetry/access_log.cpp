#include "telemetry/access_log.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <ctime>
#include <type_traits>

#include "core/utf8_prefix.hpp"
#include "telemetry/count_tokens_observation.hpp"
#include "telemetry/json_line.hpp"
#include "telemetry/log_sink.hpp"

namespace switchyard {

namespace {

std::atomic<LogSink*> gSink{nullptr};

// A worker hands the log writer the facts of a request as an entry: a fixed head, then the
// head's texts back to back. Formatting the line is the writer's work, done for many entries in a
// row: on the worker it cost more than the rest of the telemetry, much of it in fetching the
// formatting code again for every request.
enum class EntryKind : uint8_t { kRequest = 1, kCountTokens = 2 };

// The texts of a request entry, in their order after the head.
enum RequestText : uint8_t {
  kRequestId,
  kKeyAlias,
  kTeamId,
  kModel,
  kModelGroup,
  kDeployment,
  kProvider,
  kUpstreamModel,
  kError,
  kRequestTexts
};
// The texts of a count_tokens entry.
enum CountTokensText : uint8_t {
  kCountRequestId,
  kCountedBy,
  kCountDeployment,
  kCountProvider,
  kCountError,
  kCountTokensTexts
};

constexpr size_t kMaxTexts = std::max<size_t>(kRequestTexts, kCountTokensTexts);
// Longer values (a model name is the client's) are cut, at a character boundary.
constexpr size_t kMaxTextBytes = 4096;

struct EntryHead {
  uint32_t size = 0;  // the head and its texts
  EntryKind kind = EntryKind::kRequest;
  Endpoint endpoint = Endpoint::kChatCompletions;
  bool stream = false;
  bool clientGone = false;
  bool hasDeployment = false;
  bool usagePresent = false;
  bool costKnown = false;
  bool traced = false;
  bool upstreamTimed = false;
  bool firstTokenTimed = false;
  int32_t status = 0;
  int32_t attempts = 0;
  int32_t retries = 0;
  int32_t fallbacks = 0;
  int64_t unixMillis = 0;
  int64_t promptTokens = 0;
  int64_t completionTokens = 0;
  int64_t cachedTokens = 0;
  int64_t reasoningTokens = 0;
  int64_t cacheWriteTokens = 0;
  double costUsd = 0;
  int64_t totalUs = 0;
  int64_t upstreamUs = 0;
  int64_t ttfbUs = 0;
  int64_t ttftUs = 0;
  TraceId traceId{};
  std::array<uint16_t, kMaxTexts> textSizes{};
};
// Copied as bytes into the writer's batch and out again.
static_assert(std::is_trivially_copyable_v<EntryHead>);

int64_t microsBetween(std::chrono::steady_clock::time_point from,
                      std::chrono::steady_clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}

int64_t unixMillisNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Appends the entry (head, then the texts, each cut to kMaxTextBytes) to `out`.
template <size_t N>
void encodeEntry(EntryHead& head, const std::array<std::string_view, N>& texts, TextBuffer& out) {
  size_t size = sizeof head;
  for (size_t i = 0; i < N; ++i) {
    const std::string_view text = utf8Prefix(texts[i], kMaxTextBytes);
    head.textSizes[i] = uint16_t(text.size());
    size += text.size();
  }
  head.size = uint32_t(size);
  char* p = out.reserve(size);
  std::memcpy(p, &head, sizeof head);
  p += sizeof head;
  for (size_t i = 0; i < N; ++i) p = put(p, texts[i].substr(0, head.textSizes[i]));
  out.commit(p);
}

EntryHead requestHead(const RequestContext& ctx, std::chrono::steady_clock::time_point end) {
  EntryHead h;
  h.kind = EntryKind::kRequest;
  h.unixMillis = unixMillisNow();
  h.endpoint = ctx.request.endpoint;
  h.stream = ctx.request.stream;
  h.clientGone = ctx.clientGone;
  h.hasDeployment = ctx.deployment != nullptr;
  h.status = ctx.status;
  h.attempts = ctx.attempts;
  h.retries = ctx.retries;
  h.fallbacks = ctx.fallbacks;
  h.usagePresent = ctx.usage.present;
  h.promptTokens = ctx.usage.promptTokens;
  h.completionTokens = ctx.usage.completionTokens;
  h.cachedTokens = ctx.usage.cachedPromptTokens;
  h.reasoningTokens = ctx.usage.reasoningTokens;
  h.cacheWriteTokens = ctx.usage.cacheWriteTokens;
  h.costKnown = ctx.costKnown;
  h.costUsd = ctx.costUsd;
  h.totalUs = microsBetween(ctx.start, end);
  h.upstreamTimed = ctx.upstreamStart.time_since_epoch().count() != 0;
  if (h.upstreamTimed) {
    h.upstreamUs = std::chrono::duration_cast<std::chrono::microseconds>(ctx.upstreamTime).count();
    h.ttfbUs = microsBetween(ctx.upstreamStart, ctx.firstByte);
  }
  h.firstTokenTimed = ctx.firstToken.time_since_epoch().count() != 0;
  if (h.firstTokenTimed) h.ttftUs = microsBetween(ctx.start, ctx.firstToken);
  h.traced = ctx.trace.sampled;
  if (h.traced) h.traceId = ctx.trace.traceId;
  return h;
}

void encodeRequest(const RequestContext& ctx, std::string_view modelGroup,
                   std::chrono::steady_clock::time_point end, TextBuffer& out) {
  EntryHead head = requestHead(ctx, end);
  std::array<std::string_view, kRequestTexts> texts;
  texts[kRequestId] = ctx.requestId;
  texts[kKeyAlias] = ctx.keyAlias;
  texts[kTeamId] = ctx.teamId;
  texts[kModel] = ctx.request.model;
  texts[kModelGroup] = modelGroup;
  if (ctx.deployment) {
    texts[kDeployment] = ctx.deployment->id;
    texts[kProvider] = ctx.deployment->provider;
    texts[kUpstreamModel] = ctx.deployment->upstreamModel;
  }
  texts[kError] = ctx.errorClass;
  encodeEntry(head, texts, out);
}

void encodeCountTokens(const CountTokensLogEntry& e, TextBuffer& out) {
  EntryHead head;
  head.kind = EntryKind::kCountTokens;
  head.unixMillis = unixMillisNow();
  head.status = e.status;
  head.totalUs = e.total.count();
  std::array<std::string_view, kCountTokensTexts> texts;
  texts[kCountRequestId] = e.requestId;
  texts[kCountedBy] = e.countedBy;
  texts[kCountDeployment] = e.deployment;
  texts[kCountProvider] = e.provider;
  texts[kCountError] = e.errorClass;
  encodeEntry(head, texts, out);
}

// "2026-11-25T10:15:02.123Z" into `out` (24 bytes). The part up to the seconds is formatted once
// per second (per thread: the writer's, or a test's).
std::string_view timestamp(int64_t unixMillis, char (&out)[24]) {
  thread_local std::time_t lastSecond = -1;
  thread_local char prefix[20];
  const std::time_t sec = std::time_t(unixMillis / 1000);
  if (sec != lastSecond) {
    std::tm tm{};
    gmtime_r(&sec, &tm);
    std::strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S", &tm);
    lastSecond = sec;
  }
  const int milli = int(unixMillis % 1000);
  std::memcpy(out, prefix, 19);
  out[19] = '.';
  out[20] = char('0' + milli / 100);
  out[21] = char('0' + milli / 10 % 10);
  out[22] = char('0' + milli % 10);
  out[23] = 'Z';
  return {out, sizeof out};
}

// An entry's head and texts, read back from the batch.
struct Entry {
  EntryHead head;
  std::array<std::string_view, kMaxTexts> texts;
};

void formatRequest(const Entry& e, TextBuffer& out) {
  const EntryHead& h = e.head;
  JsonLine line(out);
  char ts[24];
  line.str("ts", timestamp(h.unixMillis, ts));
  line.str("request_id", e.texts[kRequestId]);
  if (h.traced) {
    char traceId[32];
    putHex(traceId, h.traceId.data(), h.traceId.size());
    line.str("trace_id", std::string_view(traceId, sizeof traceId));
  }
  line.str("endpoint", endpointPath(h.endpoint));
  line.str("key_alias", e.texts[kKeyAlias]);
  if (!e.texts[kTeamId].empty()) line.str("team_id", e.texts[kTeamId]);
  line.str("model", e.texts[kModel]);
  line.str("model_group", e.texts[kModelGroup]);
  if (h.hasDeployment) {
    line.str("deployment", e.texts[kDeployment]);
    line.str("provider", e.texts[kProvider]);
    line.str("upstream_model", e.texts[kUpstreamModel]);
  } else {
    line.null("deployment");
  }
  line.num("status", int64_t(h.status));
  line.boolean("stream", h.stream);
  line.num("attempts", int64_t(h.attempts));
  line.num("retries", int64_t(h.retries));
  line.num("fallbacks", int64_t(h.fallbacks));
  if (!e.texts[kError].empty()) line.str("error", e.texts[kError]);
  if (h.clientGone) line.boolean("client_gone", true);
  if (h.usagePresent) {
    line.num("prompt_tokens", h.promptTokens);
    line.num("completion_tokens", h.completionTokens);
    line.num("cached_tokens", h.cachedTokens);
    line.num("reasoning_tokens", h.reasoningTokens);
    line.num("cache_write_tokens", h.cacheWriteTokens);
  }
  if (h.costKnown) {
    line.num("cost_usd", h.costUsd);
  } else {
    line.null("cost_usd");
  }
  line.num("total_us", h.totalUs);
  if (h.upstreamTimed) {
    line.num("upstream_us", h.upstreamUs);
    line.num("overhead_us", std::max<int64_t>(h.totalUs - h.upstreamUs, 0));
    line.num("ttfb_us", h.ttfbUs);
  }
  if (h.firstTokenTimed) line.num("ttft_us", h.ttftUs);
  // Filled once the response cache and guardrails exist.
  line.null("cache");
  line.null("guardrail");
  line.end();
}

void formatCountTokens(const Entry& e, TextBuffer& out) {
  const EntryHead& h = e.head;
  JsonLine line(out);
  char ts[24];
  line.str("ts", timestamp(h.unixMillis, ts));
  line.str("request_id", e.texts[kCountRequestId]);
  line.str("endpoint", "count_tokens");
  line.num("status", int64_t(h.status));
  if (e.texts[kCountedBy].empty()) {
    line.null("counted_by");
  } else {
    line.str("counted_by", e.texts[kCountedBy]);
  }
  if (e.texts[kCountDeployment].empty()) {
    line.null("deployment");
  } else {
    line.str("deployment", e.texts[kCountDeployment]);
    line.str("provider", e.texts[kCountProvider]);
  }
  if (!e.texts[kCountError].empty()) line.str("error", e.texts[kCountError]);
  if (h.status == 0) line.boolean("client_gone", true);
  line.num("total_us", h.totalUs);
  line.end();
}

// Reads the entry at the start of `bytes`; false when what is there is not a whole entry.
bool readEntry(std::string_view bytes, Entry& e) {
  if (bytes.size() < sizeof(EntryHead)) return false;
  std::memcpy(&e.head, bytes.data(), sizeof(EntryHead));
  if (e.head.size > bytes.size() || e.head.size < sizeof(EntryHead)) return false;
  size_t at = sizeof(EntryHead);
  for (size_t i = 0; i < kMaxTexts; ++i) {
    const size_t n = e.head.textSizes[i];
    if (n > e.head.size - at) return false;
    e.texts[i] = bytes.substr(at, n);
    at += n;
  }
  return at == e.head.size;
}

// Writes the line of an encoded entry (or several) with their '\n's.
void formatEncoded(std::string_view entries, TextBuffer& out) {
  Entry e;
  while (readEntry(entries, e)) {
    if (e.head.kind == EntryKind::kCountTokens) {
      formatCountTokens(e, out);
    } else {
      formatRequest(e, out);
    }
    out.commit(put(out.reserve(1), "\n"));
    entries.remove_prefix(e.head.size);
  }
}

template <class Encode>
void submitEntry(Encode&& encode) {
  LogSink* sink = gSink.load(std::memory_order_acquire);
  if (sink == nullptr) return;
  thread_local TextBuffer entry;
  entry.clear();
  encode(entry);
  sink->submit(entry.view());
}

// Formats one entry as it would be logged, without its '\n'.
template <class Encode>
void formatOne(Encode&& encode, TextBuffer& out) {
  TextBuffer entry;
  encode(entry);
  TextBuffer lines;
  formatEncoded(entry.view(), lines);
  std::string_view line = lines.view();
  if (!line.empty()) line.remove_suffix(1);
  out.commit(put(out.reserve(line.size()), line));
}

}  // namespace

void setAccessLogSink(LogSink* sink) { gSink.store(sink, std::memory_order_release); }
bool accessLogEnabled() { return gSink.load(std::memory_order_relaxed) != nullptr; }

void formatAccessLogEntries(std::string_view entries, TextBuffer& out) {
  formatEncoded(entries, out);
}

void formatAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                     std::chrono::steady_clock::time_point end, TextBuffer& out) {
  formatOne([&](TextBuffer& entry) { encodeRequest(ctx, modelGroup, end, entry); }, out);
}

void writeAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                    std::chrono::steady_clock::time_point end) {
  submitEntry([&](TextBuffer& entry) { encodeRequest(ctx, modelGroup, end, entry); });
}

void formatCountTokensLog(const CountTokensLogEntry& entry, TextBuffer& out) {
  formatOne([&](TextBuffer& e) { encodeCountTokens(entry, e); }, out);
}

void writeCountTokensLog(const CountTokensLogEntry& entry) {
  submitEntry([&](TextBuffer& e) { encodeCountTokens(entry, e); });
}

}  // namespace switchyard
