#include "routing/answer_replay.hpp"

#include "api/events/answer_encoder.hpp"
#include "api/events/stream_encoder.hpp"
#include "api/openai/responses_turn.hpp"

namespace switchyard {

Task<std::optional<Error>> replayAnswer(const Pipeline& pipeline, RequestContext& ctx,
                                        const RecordedAnswer& answer, AnswerSink& sink) {
  auto filters = pipeline.answerFilters(ctx, ctx.stagesRan);
  if (ctx.request.stream) {
    ctx.streamed = true;
    auto encoder = makeStreamEncoder(ctx.request);
    answer.replay(chainFilters(filters, *encoder));
    if (auto* turn = ctx.responsesTurn.get(); turn && turn->keep) {
      turn->noteStream(encoder->output(), false);
    }
    if (co_await sink.beginStream() && co_await sink.streamData(encoder->output())) {
      co_await sink.endStream();
    }
    co_return std::nullopt;
  }
  auto encoder = makeAnswerEncoder(ctx.request);
  answer.replay(chainFilters(filters, *encoder));
  auto body = encoder->body();
  if (!body) co_return body.error();
  // A Responses answer gets a new id, which the client may continue from: kept like a live one.
  if (auto* turn = ctx.responsesTurn.get(); turn && turn->keep) turn->keepAnswer(*body, false);
  if (!sink.sendNow(200, std::move(*body))) co_await sink.sendRest();
  co_return std::nullopt;
}

}  // namespace switchyard
