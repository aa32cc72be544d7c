// Answers in Ollama's native format: POST /api/chat (a stream of NDJSON lines unless the body
// says "stream": false, as Ollama streams by default) and POST /api/embed.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>

namespace switchyard::mock {

Answer answerOllamaChat(const boost::json::object& body, const AnswerContext& ctx);
Reply answerOllamaEmbed(const boost::json::object& body);

}  // namespace switchyard::mock
