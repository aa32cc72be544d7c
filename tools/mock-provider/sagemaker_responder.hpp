// Answers as a SageMaker real-time endpoint: POST /endpoints/{name}/invocations and
// /invocations-response-stream (an AWS event stream of PayloadPart events whose bytes are the
// container's own stream, split at arbitrary points). The container is a TGI one: a body with
// "inputs" gets TGI's generate answer, a body with "messages" its Messages API (OpenAI's chat).
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/beast/http/fields.hpp>
#include <boost/json/object.hpp>

#include <string_view>

namespace switchyard::mock {

// Whether the path is /endpoints/{name}/invocations[-response-stream]; `stream` says which.
bool parseSageMakerPath(std::string_view path, bool& stream);

// The request must be SigV4-signed for the "sagemaker" service.
Answer answerSageMaker(bool stream, const boost::beast::http::fields& headers,
                       const boost::json::object& body, const AnswerContext& ctx);

}  // namespace switchyard::mock
