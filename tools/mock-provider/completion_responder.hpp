// Answers to POST /v1/completions: the legacy text_completion objects, streamed or not.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>

namespace switchyard::mock {

Answer answerCompletion(const boost::json::object& body, const AnswerContext& ctx);

}  // namespace switchyard::mock
