// Ids of translated answers.

#include "providers/common/answer_ids.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>

namespace switchyard::common {
namespace {

namespace json = boost::json;

TEST(CompletionId, PrefixAnd24Alphanumerics) {
  const std::string id = newCompletionId();
  ASSERT_EQ(id.size(), 9u + 24u);
  EXPECT_TRUE(id.starts_with("chatcmpl-"));
  for (char c : id.substr(9)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
  EXPECT_NE(newCompletionId(), id);
}

}  // namespace
}  // namespace switchyard::common
