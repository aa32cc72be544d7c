// Answers of the media and ranking endpoints, deterministic from the request: moderations,
// rerank (Cohere v2's shape at /v2/rerank, Jina's OpenAI-compatible one at /v1/rerank), image
// generations, edits and variations (b64_json or url), speech (audio bytes, streamed in chunks)
// and transcriptions / translations (json, verbose_json, text, srt, vtt) of a form upload.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace switchyard::mock {

enum class ImageCall { kGenerate, kEdit, kVariation };

Reply answerModeration(const boost::json::object& body, const AnswerContext& ctx);
Reply answerRerank(const boost::json::object& body, bool cohereShape, const AnswerContext& ctx);
// `body` is the JSON body (generations) or the form's fields (edits, variations).
Reply answerImages(const boost::json::object& body, ImageCall call, const AnswerContext& ctx);
Answer answerSpeech(const boost::json::object& body);
// `form` as parseFormBody reads it; `translate` for /audio/translations.
Answer answerTranscription(const boost::json::object& form, bool translate);

// The bytes answerSpeech sends for this input: four per character of it, so that a test can
// check the length of what reached the client.
size_t speechBytes(std::string_view input);

}  // namespace switchyard::mock
