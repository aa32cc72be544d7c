// Answers in AWS Bedrock's wire format: POST /model/{id}/converse, /converse-stream (AWS
// event-stream binary frames) and /invoke (Titan and Cohere embedding models).
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/beast/http/fields.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::mock {

// Splits "/model/{id}/{action}" (the id percent-decoded); false for any other path.
bool parseBedrockPath(std::string_view path, std::string& modelId, std::string& action);

// The request must carry a SigV4 Authorization header (or a Bedrock API key as a bearer token);
// the signature itself is not verified.
Answer answerBedrock(std::string_view modelId, std::string_view action,
                     const boost::beast::http::fields& headers, const boost::json::object& body,
                     const AnswerContext& ctx);

// Whether the request carries a SigV4 Authorization header for `service` ("bedrock",
// "sagemaker") with the x-amz-date and x-amz-content-sha256 it signs; not verified further.
bool sigV4Signed(const boost::beast::http::fields& headers, std::string_view service);

// One AWS event-stream message with string headers (CRC32s included).
std::string eventStreamFrame(const std::vector<std::pair<std::string, std::string>>& headers,
                             std::string_view payload);

}  // namespace switchyard::mock
