#include "routing/attempt.hpp"

#include <charconv>
#include <optional>

#include "api/events/answer_encoder.hpp"
#include "api/events/stream_encoder.hpp"
#include "api/openai/responses_turn.hpp"
#include "client/upstream_pool.hpp"
#include "core/log.hpp"
#include "providers/common/forwarded_request.hpp"
#include "providers/openai/openai_answer.hpp"
#include "stages/accounting/request_cost.hpp"

namespace switchyard {

namespace {

constexpr size_t kMaxUpstreamBody = 64 * 1024 * 1024;
constexpr size_t kMaxUpstreamErrorBody = 1024 * 1024;

// Writes `d` as milliseconds with three decimals ("0.042"; negative as 0) and returns the end.
// In whole microseconds: formatting a double costs ten times as much, on every response.
char* formatMillis(char* out, Clock::duration d) {
  const auto us = std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::microseconds>(d + std::chrono::nanoseconds(500))
             .count());
  out = std::to_chars(out, out + 20, us / 1000).ptr;
  const auto frac = static_cast<int>(us % 1000);
  *out++ = '.';
  *out++ = static_cast<char>('0' + frac / 100);
  *out++ = static_cast<char>('0' + frac / 10 % 10);
  *out++ = static_cast<char>('0' + frac % 10);
  return out;
}

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

std::chrono::milliseconds capped(std::chrono::milliseconds t, std::chrono::milliseconds cap) {
  return cap.count() > 0 ? std::min(t, cap) : t;
}

}  // namespace

Result<std::string> Attempt::encodeAnswer(std::string_view openAiBody) {
  auto encoder = makeAnswerEncoder(ctx_.request);
  auto filters = env_.pipeline.answerFilters(ctx_, ctx_.stagesRan);
  if (auto r = decodeOpenAiAnswer(openAiBody, chainFilters(filters, *encoder)); !r) {
    return r.error();
  }
  return encoder->body();
}

void Attempt::noteUnknownUsage(bool translated) {
  ctx_.usageUnknown = true;
  // A translated provider always reports usage after its end-of-message event unless something
  // cut it off; OpenAI-compatible hosts that ignore stream_options are common and not news.
  if (translated) {
    logWarn("stream from " + deployment_.id + " (" + deployment_.provider +
            ") ended with its end-of-message event but no usage: the answer is complete, its "
            "tokens and cost are unknown");
  }
}

void Attempt::addDeploymentHeaders() {
  const auto now = Clock::now();
  firstContent_ = now;
  // The gateway's own share of the time so far: all of it minus waiting on upstreams and
  // between retries.
  const auto own = (now - ctx_.start) - setting_.upstreamBefore - (now - upstreamStart());
  char overhead[32];
  const char* overheadEnd = formatMillis(overhead, own);
  char counts[3][12];
  auto count = [&counts](int i, int n) {
    return std::string_view(counts[i], std::to_chars(counts[i], counts[i] + 12, n).ptr);
  };
  sink_.addHeaders({
      {"x-switchyard-deployment", deployment_.id},
      {"x-switchyard-attempts", count(0, ctx_.attempts)},
      {"x-switchyard-api-base", deployment_.apiBase.host},
      {"x-switchyard-retries", count(1, ctx_.retries)},
      {"x-switchyard-fallbacks", count(2, ctx_.fallbacks)},
      {"x-switchyard-overhead-ms", std::string_view(overhead, overheadEnd - overhead)},
  });
}

Task<AttemptResult> Attempt::run() {
  // Parts only the client's format can carry (an Anthropic server tool, a Responses hosted tool)
  // reach only an upstream of that format, which is sent the client's own body.
  if (ctx_.request.untranslated && !adapter_.forwardsClientBody(ctx_.request, deployment_)) {
    co_return failed(*ctx_.request.untranslated);
  }
  auto upstreamRequest = adapter_.buildRequest(ctx_.request, deployment_);
  if (!upstreamRequest) co_return failed(upstreamRequest.error());
  if (adapter_.hasCredentialStep()) {
    if (auto credentials =
            co_await adapter_.addCredentials(deployment_, *upstreamRequest, env_.pool);
        !credentials) {
      co_return failed(credentials.error());
    }
  }
  const bool stream = ctx_.request.stream;
  auto budget = capped(stream ? deployment_.streamTimeout : deployment_.timeout, setting_.budget);
  if (stream) budget = capped(budget, ctx_.snapshot->router.streamTtftTimeout);
  const auto sendAt = Clock::now();
  const PropagatedHeaders propagated = observed_.beforeSend(sendAt);
  const auto deadline = sendAt + budget;
  upstreamStartRecord() = sendAt;
  auto started = co_await exchange_.start(deployment_.apiBase, std::move(*upstreamRequest),
                                          propagated, budget);
  if (!started) co_return failed(started.error());
  (race_ ? race_->firstByte : ctx_.firstByte) = Clock::now();
  observed_.setStatus(exchange_.status());

  if (exchange_.status() < 200 || exchange_.status() >= 300) {
    auto body = exchange_.bufferedBody(kMaxUpstreamErrorBody);
    if (!body) body = co_await exchange_.readAll(remaining(deadline), kMaxUpstreamErrorBody);
    exchange_.finish();
    co_return failed(adapter_.classifyError(exchange_.status(), *body ? **body : std::string(),
                                            exchange_.retryAfter()));
  }
  if (ctx_.request.endpoint == Endpoint::kAudioSpeech) co_return co_await forwardBytes(deadline);
  if (!stream) {
    // The whole answer, in this coroutine rather than one of its own: it is most requests.
    // Small answers arrive with their head: no coroutine to read what is already here.
    auto body = exchange_.bufferedBody(kMaxUpstreamBody);
    if (!body) body = co_await exchange_.readAll(remaining(deadline), kMaxUpstreamBody);
    if (!*body) co_return failed(body->error());
    observed_.upstreamEnded();
    exchange_.finish();
    auto translated = adapter_.translateResponse(ctx_.request, std::move(**body), usageRecord());
    if (!translated) co_return failed(translated.error());
    if (answerThroughEvents()) {
      auto encoded = encodeAnswer(*translated);
      if (!encoded) co_return failed(encoded.error());
      translated = std::move(*encoded);
    }
    if (!claim()) co_return cancelled();
    if (auto* turn = ctx_.responsesTurn.get(); turn && turn->keep) {
      turn->keepAnswer(*translated, adapter_.forwardsClientBody(ctx_.request, deployment_));
    }
    addDeploymentHeaders();
    addCostHeaders();
    if (forwardsAnswer(ctx_.request.endpoint) && !exchange_.contentType().empty()) {
      sink_.setContentType(exchange_.contentType());
    }
    if (!sink_.sendNow(200, std::move(*translated))) co_await sink_.sendRest();
    co_return AttemptResult{true, {}};
  }
  if (exchange_.jsonAnswer()) {
    co_return failed(Error::make(ErrorClass::kBadUpstream,
                                 "The upstream answered a streaming request with a JSON body.", {},
                                 "bad_upstream_response"));
  }
  co_return co_await forwardStream();
}

void Attempt::addCostHeaders() {
  computeCost(ctx_);
  if (auto cost = formatCost(ctx_); !cost.empty()) {
    sink_.addHeaders({{"x-switchyard-cost", cost}, {"x-litellm-response-cost", cost}});
  }
}

Task<AttemptResult> Attempt::forwardBytes(Clock::time_point deadline) {
  // What speech costs is known from the request (its characters), before the audio arrives.
  common::readForwardedUsage(ctx_.request, {}, usageRecord());
  const std::string contentType(exchange_.contentType());
  auto begin = [&]() -> Task<bool> {
    addDeploymentHeaders();
    addCostHeaders();
    if (!contentType.empty()) sink_.setContentType(contentType);
    co_return co_await sink_.beginStream();
  };
  while (true) {
    auto piece = co_await exchange_.readSome(remaining(deadline));
    if (lost()) co_return cancelled();
    if (ctx_.clientGone) {
      exchange_.abort();
      co_return AttemptResult{true, {}};
    }
    if (!piece) {
      const Error e = piece.error();
      exchange_.abort();
      if (!sink_.started()) co_return failed(e);
      // Audio has no in-band error: the client sees the answer cut short.
      observed_.failed(e);
      sink_.endConnection();
      ctx_.errorClass = errorClassName(e.cls);
      co_return AttemptResult{true, e, true};
    }
    if (piece->empty()) break;
    if (!sink_.started()) {
      if (!claim()) co_return cancelled();
      if (!co_await begin()) {
        ctx_.clientGone = true;
        break;
      }
    }
    if (!co_await sink_.streamData(*piece)) {
      ctx_.clientGone = true;
      break;
    }
  }
  if (ctx_.clientGone) {
    exchange_.abort();
    co_return AttemptResult{true, {}};
  }
  observed_.upstreamEnded();
  exchange_.finish();
  if (!sink_.started()) {
    if (!claim()) co_return cancelled();
    co_await begin();
  }
  co_await sink_.endStream();
  co_return AttemptResult{true, {}};
}

// Where a decoded stream's events go first: notes usage and whether the answer has begun, then
// passes them through the stages' answer filters to the client's encoder.
class AnswerTap final : public EventSink {
 public:
  AnswerTap(Usage& usage, EventSink& next) : usage_(usage), next_(next) {}
  void onEvent(const StreamEvent& e) override {
    if (e.kind == StreamEvent::Kind::kUsage) usage_ = *e.usage;
    sawContent_ = sawContent_ || e.carriesContent();
    next_.onEvent(e);
  }
  bool sawContent() const { return sawContent_; }

 private:
  Usage& usage_;
  EventSink& next_;
  bool sawContent_ = false;
};

Task<AttemptResult> Attempt::forwardStream() {
  ctx_.streamed = true;
  // The byte fast path when the upstream speaks the client's format and no stage watches the
  // answer; events otherwise.
  const Pipeline& pipeline = env_.pipeline;
  std::unique_ptr<StreamPassThrough> passThrough;
  if (!pipeline.watchesAnswer(ctx_))
    passThrough = adapter_.makeStreamPassThrough(ctx_.request, deployment_);
  std::unique_ptr<StreamDecoder> decoder;
  std::unique_ptr<StreamEncoder> encoder;
  std::vector<std::unique_ptr<AnswerFilter>> filters;
  std::optional<AnswerTap> tap;
  std::string passed;
  if (!passThrough) {
    decoder = adapter_.makeStreamDecoder(ctx_.request);
    encoder = makeStreamEncoder(ctx_.request);
    filters = pipeline.answerFilters(ctx_, ctx_.stagesRan);
    tap.emplace(usageRecord(), chainFilters(filters, *encoder));
  }
  std::string& out = passThrough ? passed : encoder->output();
  // A stored Responses answer: its terminal event is read as it goes out.
  ResponsesTurn* turn =
      ctx_.responsesTurn && ctx_.responsesTurn->keep ? ctx_.responsesTurn.get() : nullptr;
  auto finished = [&] { return passThrough ? passThrough->finished() : decoder->finished(); };
  auto sawContent = [&] { return passThrough ? passThrough->sawContent() : tap->sawContent(); };

  // Headers go out with the first translated event, so a stream that fails before producing
  // anything can still be retried on another deployment.
  auto fail = [&](const Error& e) -> Task<AttemptResult> {
    if (lost()) co_return cancelled();
    observed_.failed(e);
    exchange_.abort();
    if (!sink_.started()) co_return failed(e);
    out.clear();
    if (encoder) {
      encoder->fail(e);
    } else {
      passThrough->fail(e, out);
    }
    if (co_await sink_.streamData(out)) co_await sink_.endStream();
    sink_.endConnection();
    ctx_.errorClass = errorClassName(e.cls);
    co_return AttemptResult{true, e, true};
  };

  // Until content reached the client, a stall is retried elsewhere: the time to first token is
  // bounded by stream_ttft_timeout (and by the request's total timeout).
  const auto ttft = ctx_.snapshot->router.streamTtftTimeout;
  const auto firstContentBy = ttft.count() > 0 ? upstreamStart() + ttft : Clock::time_point::max();
  // A racing attempt has not answered until real content came: an upstream that opens its
  // stream and then stalls must not win the race.
  const bool holdBack = ttft.count() > 0 || race_ != nullptr;
  if (holdBack && passThrough) passThrough->watchForContent();
  while (true) {
    auto wait = deployment_.streamTimeout;
    if (!sink_.started() && firstContentBy != Clock::time_point::max()) {
      wait = std::min(wait, remaining(firstContentBy));
    }
    auto piece = co_await exchange_.readSome(capped(wait, setting_.budget));
    if (lost()) co_return cancelled();
    if (ctx_.clientGone) {
      co_return AttemptResult{true, {}};
    }
    if (!piece) {
      const Error e = piece.error();
      co_return co_await fail(e);
    }
    if (piece->empty()) break;
    auto decoded = passThrough ? passThrough->onBytes(*piece, out, usageRecord())
                               : decoder->onBytes(*piece, *tap);
    if (!decoded) {
      const Error e = decoded.error();
      co_return co_await fail(e);
    }
    if (out.empty()) continue;
    // Held back until real content arrives, so a stall before it can still be retried.
    if (!sink_.started() && holdBack && !sawContent()) continue;
    if (!sink_.started()) {
      if (!claim()) co_return cancelled();
      addDeploymentHeaders();
      observed_.firstToken();
      if (!co_await sink_.beginStream()) break;
    }
    if (turn) turn->noteStream(out, passThrough != nullptr);
    if (!co_await sink_.streamData(out)) {
      ctx_.clientGone = true;
      break;
    }
    out.clear();
  }
  if (ctx_.clientGone) {
    exchange_.abort();
    co_return AttemptResult{true, {}};
  }
  if (!passThrough && !finished()) decoder->onUpstreamEnd(*tap);
  if (!finished()) {
    const Error e = Error::make(ErrorClass::kBadUpstream,
                                "The upstream ended the stream before it was complete.", {},
                                "incomplete_stream");
    co_return co_await fail(e);
  }
  observed_.upstreamEnded();
  exchange_.finish();
  if (!sink_.started()) {
    if (!claim()) co_return cancelled();
    addDeploymentHeaders();
    co_await sink_.beginStream();
  }
  // This attempt answered (claimed above): its usage is the request's.
  if (!usageRecord().present) noteUnknownUsage(passThrough == nullptr);
  if (turn && !out.empty()) turn->noteStream(out, passThrough != nullptr);
  if (!out.empty() && !co_await sink_.streamData(out)) {
    ctx_.clientGone = true;
    co_return AttemptResult{true, {}};
  }
  co_await sink_.endStream();
  co_return AttemptResult{true, {}};
}

}  // namespace switchyard
