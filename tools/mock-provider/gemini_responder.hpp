// Answers in Google's generateContent format, under both URL forms: the Gemini API's
// /v1beta/models/{model}:{method} and Vertex AI's
// /v1/projects/{p}/locations/{l}/publishers/google/models/{model}:{method}. Also a fake OAuth
// token endpoint (POST /token) for Vertex service-account credentials.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace switchyard::mock {

// Whether a request path (without query) is one of the Google model methods answered here.
bool isGooglePath(std::string_view path);

// generateContent, streamGenerateContent (SSE when the query has alt=sse), embedContent,
// batchEmbedContents and predict (Vertex embeddings).
Answer answerGoogle(std::string_view target, const boost::json::object& body,
                    const AnswerContext& ctx);

// A token for a JWT-bearer grant: {access_token, expires_in, token_type}.
// POST /token with a form-encoded (RFC 7523) body, as Google's token endpoint expects.
Reply answerGoogleToken(std::string_view formBody, std::string_view accessToken);

}  // namespace switchyard::mock
