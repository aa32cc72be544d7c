// OpenAI message content as non-OpenAI translators read it: text, image URLs, data: URLs.

#include "providers/common/content.hpp"

#include <gtest/gtest.h>

namespace switchyard::common {
namespace {

namespace json = boost::json;

TEST(ContentText, JoinsTextPartsAndSkipsTheRest) {
  EXPECT_EQ(contentText(json::parse(R"("plain")")), "plain");
  EXPECT_EQ(
      contentText(json::parse(
          R"([{"type":"text","text":"a"},{"type":"image_url","image_url":"x"},7,{"text":"b"}])")),
      "ab");
  EXPECT_EQ(contentText(json::parse("null")), "");
  EXPECT_EQ(contentText(json::parse("{}")), "");
}

TEST(ImageUrl, ReadsTheObjectAndTheStringForm) {
  EXPECT_EQ(imageUrl(json::parse(R"({"image_url":{"url":"https://x/a.png"}})").as_object()),
            "https://x/a.png");
  EXPECT_EQ(imageUrl(json::parse(R"({"image_url":"https://x/b.png"})").as_object()),
            "https://x/b.png");
  EXPECT_EQ(imageUrl(json::parse(R"({"image_url":{"detail":"low"}})").as_object()), "");
  EXPECT_EQ(imageUrl(json::parse(R"({"image_url":3})").as_object()), "");
  EXPECT_EQ(imageUrl(json::object{}), "");
}

TEST(DataUrl, SplitsMediaTypeAndData) {
  auto d = parseBase64DataUrl("data:image/png;base64,iVBORw0KGgo=");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->mediaType, "image/png");
  EXPECT_EQ(d->data, "iVBORw0KGgo=");

  d = parseBase64DataUrl("data:text/plain;charset=utf-8;base64,aGk=");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->mediaType, "text/plain;charset=utf-8");
  EXPECT_EQ(d->data, "aGk=");

  d = parseBase64DataUrl("data:;base64,");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->mediaType, "");
  EXPECT_EQ(d->data, "");
}

TEST(DataUrl, RefusesWhatIsNotABase64DataUrl) {
  for (std::string_view url : {"https://x/a.png", "data:image/png,raw", "data:image/png;base64",
                               "DATA:image/png;base64,x", "data:image/png;base64x,y", ""}) {
    EXPECT_FALSE(parseBase64DataUrl(url)) << url;
  }
}

}  // namespace
}  // namespace switchyard::common
