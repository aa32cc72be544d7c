// The multipart/form-data reader and the form requests built on it (image edits, audio uploads).
#include <gtest/gtest.h>

#include <string>

#include "api/openai/audio_length.hpp"
#include "api/openai/form_request.hpp"
#include "api/openai/multipart_form.hpp"
#include "providers/common/forwarded_request.hpp"

namespace switchyard {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

std::string field(std::string_view name, std::string_view value) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n" +
         std::string(value) + "\r\n";
}

std::string file(std::string_view name, std::string_view filename, std::string_view bytes) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"; filename=\"" + std::string(filename) + "\"\r\nContent-Type: audio/wav\r\n\r\n" +
         std::string(bytes) + "\r\n";
}

// A WAV header for `seconds` of 8 kHz 8-bit mono audio (byte rate 8000), then its data.
std::string wav(double seconds) {
  const uint32_t data = static_cast<uint32_t>(seconds * 8000);
  auto le = [](uint32_t v, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>(v >> (8 * i) & 0xFF);
    return s;
  };
  return "RIFF" + le(36 + data, 4) + "WAVE" + "fmt " + le(16, 4) + le(1, 2) + le(1, 2) +
         le(8000, 4) + le(8000, 4) + le(1, 2) + le(8, 2) + "data" + le(data, 4) +
         std::string(data, '\x80');
}

TEST(FormBoundary, ReadsQuotedAndBareBoundaries) {
  EXPECT_EQ(*formBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(*formBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
}

TEST(FormBoundary, RejectsOtherTypesAndMissingBoundaries) {
  auto json = formBoundary("application/json");
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().status, 400);
  EXPECT_NE(json.error().message.find("multipart/form-data"), std::string::npos);
  EXPECT_NE(json.error().message.find("application/json"), std::string::npos);
  EXPECT_FALSE(formBoundary("multipart/form-data"));
  EXPECT_FALSE(formBoundary("multipart/form-data; boundary="));
  EXPECT_FALSE(formBoundary("multipart/form-data; boundary=" + std::string(71, 'b')));
}

TEST(ParseForm, ReadsFieldsAndFilesInPlace) {
  const std::string body = "preamble\r\n" + field("model", "whisper-1") +
                           file("file", "a.wav", "RI\r\nFF--Xy") + "--XyZ--\r\n";
  auto parts = parseForm(body, "XyZ");
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "model");
  EXPECT_EQ((*parts)[0].value, "whisper-1");
  EXPECT_FALSE((*parts)[0].hasFilename);
  EXPECT_EQ(body.substr((*parts)[0].valueOffset, 9), "whisper-1");
  EXPECT_EQ((*parts)[1].filename, "a.wav");
  EXPECT_EQ((*parts)[1].contentType, "audio/wav");
  // A CRLF or dashes inside a file are content, not a boundary.
  EXPECT_EQ((*parts)[1].value, "RI\r\nFF--Xy");
  EXPECT_EQ((*parts)[1].value.data(), body.data() + (*parts)[1].valueOffset);
}

TEST(ParseForm, RejectsBadFraming) {
  EXPECT_FALSE(parseForm("no boundary here", "XyZ"));
  EXPECT_FALSE(parseForm(field("model", "m"), "XyZ"));  // never closed
  EXPECT_FALSE(parseForm("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", "XyZ"));
  EXPECT_FALSE(parseForm("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n", "XyZ"));
  auto bad =
      parseForm("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--", "XyZ");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("form-data"), std::string::npos);
}

TEST(ParseForm, AnEmptyFormHasNoParts) {
  auto parts = parseForm("--XyZ--\r\n", "XyZ");
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->empty());
}

TEST(WavSeconds, ReadsTheDataChunkAtTheByteRate) {
  EXPECT_DOUBLE_EQ(*wavSeconds(wav(1.5)), 1.5);
  EXPECT_FALSE(wavSeconds("ID3\x03 not a wav file"));
  EXPECT_FALSE(wavSeconds("RIFF"));
}

TEST(ParseOpenAiFormRequest, RoutesByTheModelFieldAndSplicesTheUpstreamModel) {
  const std::string body = field("model", "my-whisper") + file("file", "a.wav", wav(2)) +
                           field("response_format", "json") + "--XyZ--\r\n";
  auto r = parseOpenAiFormRequest(Endpoint::kAudioTranscriptions, kType, body);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->model, "my-whisper");
  EXPECT_EQ(r->formContentType, kType);
  EXPECT_DOUBLE_EQ(r->units.audioSeconds, 2.0);
  EXPECT_FALSE(r->stream);
  EXPECT_TRUE(r->body().empty());

  auto forwarded = common::forwardedBody(*r, "whisper-1");
  ASSERT_TRUE(forwarded);
  std::string expected = body;
  expected.replace(expected.find("my-whisper"), 10, "whisper-1");
  EXPECT_EQ(*forwarded, expected);
  EXPECT_FALSE(common::forwardedBody(*r, "bad\r\nname"));
}

TEST(ParseOpenAiFormRequest, NamesTheMissingField) {
  struct Case {
    Endpoint endpoint;
    std::string body;
    const char* param;
  };
  const Case cases[] = {
      {Endpoint::kAudioTranscriptions, file("file", "a.wav", "x") + "--XyZ--", "model"},
      {Endpoint::kAudioTranscriptions, field("model", "m") + "--XyZ--", "file"},
      {Endpoint::kAudioTranslations, field("model", "m") + field("file", "not a file") + "--XyZ--",
       "file"},
      {Endpoint::kImageEdits, field("model", "m") + file("image", "a.png", "x") + "--XyZ--",
       "prompt"},
      {Endpoint::kImageEdits, field("model", "m") + field("prompt", "p") + "--XyZ--", "image"},
      {Endpoint::kImageVariations, field("model", "") + file("image", "a.png", "x") + "--XyZ--",
       "model"},
      {Endpoint::kImageVariations,
       field("model", "a") + field("model", "b") + file("image", "a.png", "x") + "--XyZ--",
       "model"},
      {Endpoint::kImageEdits,
       field("model", "m") + field("prompt", "p") + file("image", "a.png", "x") + field("n", "0") +
           "--XyZ--",
       "n"},
  };
  for (const auto& c : cases) {
    auto r = parseOpenAiFormRequest(c.endpoint, kType, c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().param, c.param) << r.error().message;
  }
}

TEST(ParseOpenAiFormRequest, CountsTheImagesAnEditAsksFor) {
  const std::string body = field("model", "dall-e-2") + file("image[]", "a.png", "x") +
                           file("image[]", "b.png", "y") + field("prompt", "a hat") +
                           field("n", "3") + "--XyZ--";
  auto r = parseOpenAiFormRequest(Endpoint::kImageEdits, kType, body);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->units.images, 3);
}

}  // namespace
}  // namespace switchyard
