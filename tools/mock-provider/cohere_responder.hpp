// Answers in Cohere's v2 wire format: POST /v2/chat (SSE streaming included) and /v2/embed.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>

namespace switchyard::mock {

Answer answerCohereChat(const boost::json::object& body, const AnswerContext& ctx);
Reply answerCohereEmbed(const boost::json::object& body);

}  // namespace switchyard::mock
