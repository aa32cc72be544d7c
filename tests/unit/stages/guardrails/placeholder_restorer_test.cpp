// Placeholders restored in whole answers and in streams split at every possible point.
#include <gtest/gtest.h>

#include "stages/guardrails/placeholder_restorer.hpp"

namespace switchyard::guardrails {
namespace {

const Placeholders kMap = {{"[EMAIL_1]", "ann@example.com"},
                           {"[EMAIL_2]", "bob@example.org"},
                           {"[US_SSN_1]", "123-45-6789"}};

TEST(PlaceholderRestorer, WholeText) {
  EXPECT_EQ(PlaceholderRestorer::restoreAll(kMap, "Mail [EMAIL_1] and [EMAIL_2]; [US_SSN_1]."),
            "Mail ann@example.com and bob@example.org; 123-45-6789.");
  // Brackets that are not placeholders pass as they are.
  EXPECT_EQ(PlaceholderRestorer::restoreAll(kMap, "[x] [EMAIL_3] [EMAIL_ [EMAIL_1"),
            "[x] [EMAIL_3] [EMAIL_ [EMAIL_1");
}

// Every way to cut the text into two and into three pieces gives the same result, and what is
// held back between pieces is never longer than a placeholder.
TEST(PlaceholderRestorer, EverySplitOfAStream) {
  const std::string text = "a[EMAIL_1]b[[US_SSN_1]][EMAIL_2][EMAIL_1";
  const std::string want = PlaceholderRestorer::restoreAll(kMap, text);
  ASSERT_EQ(want, "aann@example.comb[123-45-6789]bob@example.org[EMAIL_1");
  for (size_t i = 0; i <= text.size(); ++i) {
    for (size_t j = i; j <= text.size(); ++j) {
      PlaceholderRestorer r(kMap);
      std::string out;
      r.feed(text.substr(0, i), out);
      EXPECT_LT(r.held(), 10u);
      r.feed(text.substr(i, j - i), out);
      EXPECT_LT(r.held(), 10u);
      r.feed(text.substr(j), out);
      r.flush(out);
      ASSERT_EQ(out, want) << "split at " << i << ", " << j;
    }
  }
}

TEST(PlaceholderRestorer, OneCharacterAtATime) {
  const std::string text = "x [EMAIL_2] y [US_SSN_1]";
  PlaceholderRestorer r(kMap);
  std::string out;
  for (char c : text) r.feed(std::string_view(&c, 1), out);
  r.flush(out);
  EXPECT_EQ(out, "x bob@example.org y 123-45-6789");
}

TEST(PlaceholderRestorer, ReleasesTextThatCannotBecomeAPlaceholder) {
  PlaceholderRestorer r(kMap);
  std::string out;
  r.feed("Hello [EM", out);
  EXPECT_EQ(out, "Hello ");
  r.feed("X] world", out);
  EXPECT_EQ(out, "Hello [EMX] world");
  EXPECT_EQ(r.held(), 0u);
}

}  // namespace
}  // namespace switchyard::guardrails
