// Tolerant field access: what is absent or of another type reads as empty, null or 0.

#include "providers/common/json_fields.hpp"

#include <gtest/gtest.h>

namespace switchyard::common {
namespace {

namespace json = boost::json;

const json::object kBody = json::parse(R"({
  "s": "text", "o": {"k": 1}, "a": [1, 2], "t": true, "f": false,
  "i": -7, "u": 18446744073709551615, "d": 2.9, "n": null
})")
                               .as_object();

TEST(JsonFields, ReadsFieldsOfTheirType) {
  EXPECT_EQ(stringField(kBody, "s"), "text");
  ASSERT_NE(objectField(kBody, "o"), nullptr);
  EXPECT_EQ(objectField(kBody, "o")->at("k"), 1);
  ASSERT_NE(arrayField(kBody, "a"), nullptr);
  EXPECT_EQ(arrayField(kBody, "a")->size(), 2u);
  EXPECT_TRUE(boolField(kBody, "t"));
  EXPECT_FALSE(boolField(kBody, "f"));
}

TEST(JsonFields, AbsentOrOtherTypesReadEmpty) {
  for (std::string_view key : {"missing", "n", "o", "i"}) {
    EXPECT_EQ(stringField(kBody, key), "") << key;
  }
  for (std::string_view key : {"missing", "n", "s", "a"}) {
    EXPECT_EQ(objectField(kBody, key), nullptr) << key;
  }
  for (std::string_view key : {"missing", "n", "s", "o"}) {
    EXPECT_EQ(arrayField(kBody, key), nullptr) << key;
  }
  EXPECT_FALSE(boolField(kBody, "s"));
  EXPECT_FALSE(boolField(kBody, "missing"));
}

TEST(JsonFields, IntFieldTakesEveryNumberKind) {
  EXPECT_EQ(intField(kBody, "i"), -7);
  EXPECT_EQ(intField(kBody, "d"), 2);  // truncated
  EXPECT_EQ(intField(kBody, "u"), static_cast<int64_t>(UINT64_MAX));
  EXPECT_EQ(intField(kBody, "s"), 0);
  EXPECT_EQ(intField(kBody, "n"), 0);
  EXPECT_EQ(intField(kBody, "missing"), 0);
  EXPECT_TRUE(hasNumber(kBody, "d"));
  EXPECT_FALSE(hasNumber(kBody, "s"));
  EXPECT_FALSE(hasNumber(kBody, "missing"));
}

}  // namespace
}  // namespace switchyard::common
