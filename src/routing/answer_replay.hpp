#pragma once
// An early answer kept as events (a cache hit) written to a sink in the format the client speaks,
// streamed or whole as it asked, exactly as a live answer of the same events would be encoded.

#include <optional>

#include "api/events/recorded_answer.hpp"
#include "core/async.hpp"
#include "routing/answer_sink.hpp"
#include "stages/request_context.hpp"
#include "stages/stage.hpp"

namespace switchyard {

// Passes `answer` through the answer filters of the stages that ran (ctx.stagesRan) to the
// client format's encoder and writes the result to `sink`; the error to answer with instead when
// the events make no answer in that format (the sink then got nothing).
Task<std::optional<Error>> replayAnswer(const Pipeline& pipeline, RequestContext& ctx,
                                        const RecordedAnswer& answer, AnswerSink& sink);

}  // namespace switchyard
