// The JSON media and ranking endpoints' requests: their required members, their own
// response_format, and the units their price is counted in.
#include <gtest/gtest.h>

#include "api/openai/parse_request.hpp"
#include "providers/common/forwarded_request.hpp"

namespace switchyard {
namespace {

TEST(MediaRequest, NamesTheMissingOrMistypedField) {
  struct Case {
    Endpoint endpoint;
    const char* body;
    const char* param;
  };
  const Case cases[] = {
      {Endpoint::kModerations, R"({"model":"m"})", "input"},
      {Endpoint::kModerations, R"({"model":"m","input":5})", "input"},
      {Endpoint::kRerank, R"({"model":"m","documents":["a"]})", "query"},
      {Endpoint::kRerank, R"({"model":"m","query":"q"})", "documents"},
      {Endpoint::kRerank, R"({"model":"m","query":"q","documents":[]})", "documents"},
      {Endpoint::kImageGenerations, R"({"model":"m"})", "prompt"},
      {Endpoint::kImageGenerations, R"({"model":"m","prompt":"p","n":"two"})", "n"},
      {Endpoint::kAudioSpeech, R"({"model":"m","voice":"alloy"})", "input"},
      {Endpoint::kAudioSpeech, R"({"model":"m","input":"hi"})", "voice"},
      {Endpoint::kRerank, R"({"query":"q","documents":["a"]})", "model"},
  };
  for (const auto& c : cases) {
    auto r = parseOpenAiRequest(c.endpoint, c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().param, c.param) << c.body << ": " << r.error().message;
  }
}

TEST(MediaRequest, AcceptsTheirOwnResponseFormatAndNeverStreamsEvents) {
  auto r = parseOpenAiRequest(
      Endpoint::kImageGenerations,
      R"({"model":"dall-e-3","prompt":"a cat","n":2,"response_format":"b64_json","stream":true})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->units.images, 2);
  EXPECT_FALSE(r->stream);
  auto speech = parseOpenAiRequest(
      Endpoint::kAudioSpeech,
      R"({"model":"tts-1","input":"héllo","voice":"alloy","response_format":"mp3"})");
  ASSERT_TRUE(speech) << speech.error().message;
  EXPECT_EQ(speech->units.characters, 5);  // code points, not bytes
}

TEST(MediaRequest, TheModelIsSplicedIntoTheClientsBytes) {
  const std::string body = R"({"query":"q", "model":"my-rerank","documents":["a",{"text":"b"}]})";
  auto r = parseOpenAiRequest(Endpoint::kRerank, body);
  ASSERT_TRUE(r) << r.error().message;
  auto forwarded = common::forwardedBody(*r, "rerank-english-v3.0");
  ASSERT_TRUE(forwarded);
  EXPECT_EQ(*forwarded,
            R"({"query":"q", "model":"rerank-english-v3.0","documents":["a",{"text":"b"}]})");
}

TEST(MediaRequest, UsageIsReadFromEachAnswerShape) {
  auto rerank =
      *parseOpenAiRequest(Endpoint::kRerank, R"({"model":"m","query":"q","documents":["a"]})");
  Usage u;
  common::readForwardedUsage(
      rerank, R"({"id":"x","results":[],"meta":{"billed_units":{"search_units":2}}})", u);
  EXPECT_TRUE(u.present);
  EXPECT_DOUBLE_EQ(u.searchUnits, 2);
  common::readForwardedUsage(rerank, R"({"results":[],"usage":{"total_tokens":7}})", u);
  EXPECT_DOUBLE_EQ(u.searchUnits, 1);
  EXPECT_EQ(u.promptTokens, 7);

  auto images =
      *parseOpenAiRequest(Endpoint::kImageGenerations, R"({"model":"m","prompt":"p","n":3})");
  common::readForwardedUsage(images, R"({"created":1,"data":[{"url":"u"},{"url":"v"}]})", u);
  EXPECT_EQ(u.images, 2);  // what was made, not what was asked
  common::readForwardedUsage(
      images, R"({"data":[{"b64_json":"x"}],"usage":{"input_tokens":9,"output_tokens":272}})", u);
  EXPECT_EQ(u.images, 1);
  EXPECT_EQ(u.promptTokens, 9);
  EXPECT_EQ(u.completionTokens, 272);

  ApiRequest transcription;
  transcription.endpoint = Endpoint::kAudioTranscriptions;
  transcription.units.audioSeconds = 4;
  common::readForwardedUsage(transcription, R"({"text":"t","duration":12.5})", u);
  EXPECT_DOUBLE_EQ(u.seconds, 12.5);
  common::readForwardedUsage(transcription,
                             R"({"text":"t","usage":{"type":"duration","seconds":3}})", u);
  EXPECT_DOUBLE_EQ(u.seconds, 3);
  common::readForwardedUsage(transcription, "a transcript as text\n", u);
  EXPECT_DOUBLE_EQ(u.seconds, 4);  // the upload's own length
}

}  // namespace
}  // namespace switchyard
