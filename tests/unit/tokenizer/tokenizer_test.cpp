// The tokenizer's parts: the vocabularies, the character classes, input the reference never sees
// (invalid UTF-8), the long-piece merge and the choice of encoding per model.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tokenizer/encoding.hpp"
#include "tokenizer/model_encoding.hpp"
#include "tokenizer/pretokenizer.hpp"
#include "tokenizer/rank_table.hpp"
#include "tokenizer/unicode_classes.hpp"

namespace switchyard::tokenizer {
namespace {

std::string decode(const Encoding& e, const std::vector<uint32_t>& ids) {
  std::string out;
  for (const uint32_t id : ids) out += e.token(id);
  return out;
}

std::vector<std::string> pieces(Pattern p, std::string_view text) {
  std::vector<std::string> out;
  PreTokenizer pre(p, text);
  for (auto piece = pre.next(); !piece.empty(); piece = pre.next()) out.emplace_back(piece);
  return out;
}

TEST(TokenizerVocabulary, EmbeddedFilesLoad) {
  EXPECT_TRUE(o200kBase().error().empty());
  EXPECT_EQ(o200kBase().vocabularySize(), 199998u);
  EXPECT_TRUE(cl100kBase().error().empty());
  EXPECT_EQ(cl100kBase().vocabularySize(), 100256u);
  // Well-known ids: "hello" and " world".
  EXPECT_EQ(cl100kBase().encode("hello world"), (std::vector<uint32_t>{15339, 1917}));
  EXPECT_EQ(o200kBase().encode("hello world"), (std::vector<uint32_t>{24912, 2375}));
}

TEST(TokenizerVocabulary, MalformedFilesAreRefused) {
  const unsigned char junk[] = "not a vocabulary";
  EXPECT_FALSE(RankTable({junk, sizeof junk}).error().empty());
  // The right magic, a count of 2, but one length byte and no token bytes.
  const unsigned char truncated[] = {'S', 'Y', 'B', 'P', 'E', '1', '\n', 0, 2, 0, 0, 0, 1};
  EXPECT_FALSE(RankTable({truncated, sizeof truncated}).error().empty());
  const unsigned char tiny[] = {'S', 'Y', 'B', 'P', 'E', '1', '\n', 0, 1, 0, 0, 0, 1, 'a'};
  EXPECT_NE(RankTable({tiny, sizeof tiny}).error(), "");  // not every byte has a token
  const Encoding broken("broken", Pattern::kO200k, {junk, sizeof junk});
  EXPECT_TRUE(broken.encode("text").empty());
  EXPECT_EQ(broken.count("text"), 0u);
}

TEST(TokenizerClasses, AsciiFastPathAgreesWithTheTable) {
  const auto& table = CharClassTable::get();
  for (unsigned c = 0; c < 128; ++c) {
    const char s[1] = {static_cast<char>(c)};
    EXPECT_EQ(Utf8Text({s, 1}).at(0).cls, table.of(c)) << c;
  }
  EXPECT_EQ(table.of(U'é'), CharClass::kLower);
  EXPECT_EQ(table.of(U'Ω'), CharClass::kUpper);
  EXPECT_EQ(table.of(U'ǅ'), CharClass::kTitle);
  EXPECT_EQ(table.of(U'ʰ'), CharClass::kModifier);
  EXPECT_EQ(table.of(U'中'), CharClass::kOtherLetter);
  EXPECT_EQ(table.of(0x0301), CharClass::kMark);
  EXPECT_EQ(table.of(U'٣'), CharClass::kNumber);
  EXPECT_EQ(table.of(0x3000), CharClass::kSpace);
  EXPECT_EQ(table.of(0x10D50), CharClass::kUpper);  // Garay capital A, new in Unicode 16
  EXPECT_EQ(table.of(0x0378), CharClass::kOther);   // unassigned
  EXPECT_EQ(table.of(0x110000), CharClass::kOther);
}

TEST(TokenizerPieces, FollowTheBacktrackingOfThePatterns) {
  // \s+(?!\S) leaves the last space to the word; \s*[\r\n]+ ends at the last newline.
  EXPECT_EQ(pieces(Pattern::kCl100k, "a   b"), (std::vector<std::string>{"a", "  ", " b"}));
  EXPECT_EQ(pieces(Pattern::kO200k, "  \n  x"), (std::vector<std::string>{"  \n", " ", " x"}));
  // Digits in threes; contractions case-insensitive, long s included.
  EXPECT_EQ(pieces(Pattern::kCl100k, "12345"), (std::vector<std::string>{"123", "45"}));
  EXPECT_EQ(pieces(Pattern::kCl100k, "I'M"), (std::vector<std::string>{"I", "'M"}));
  EXPECT_EQ(pieces(Pattern::kO200k, "I'M"), (std::vector<std::string>{"I'M"}));
  EXPECT_EQ(pieces(Pattern::kO200k, "it'\u017F"), (std::vector<std::string>{"it'\u017F"}));
  // o200k splits case runs: an upper run gives back its last Lo before a non-letter.
  EXPECT_EQ(pieces(Pattern::kO200k, "camelCaseWORD"),
            (std::vector<std::string>{"camel", "Case", "WORD"}));
  EXPECT_EQ(pieces(Pattern::kCl100k, "camelCaseWORD"), (std::vector<std::string>{"camelCaseWORD"}));
  EXPECT_EQ(pieces(Pattern::kO200k, "日本A"), (std::vector<std::string>{"日本", "A"}));
  EXPECT_EQ(pieces(Pattern::kO200k, "a//b\n"), (std::vector<std::string>{"a", "//", "b", "\n"}));
}

TEST(TokenizerInput, InvalidUtf8EncodesByteForByte) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 300);
  for (int round = 0; round < 300; ++round) {
    std::string s(len(rng), '\0');
    for (auto& c : s) c = static_cast<char>(byte(rng));
    for (const Encoding* e : {&o200kBase(), &cl100kBase()}) {
      const auto ids = e->encode(s);
      EXPECT_EQ(decode(*e, ids), s);
      EXPECT_EQ(e->count(s), ids.size());
    }
  }
  // A lead byte at the very end, truncated sequences, surrogates and overlong forms.
  for (std::string s : {"\xE4", "a\xF0\x9F", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80"}) {
    EXPECT_EQ(decode(o200kBase(), o200kBase().encode(s)), s);
  }
}

TEST(TokenizerMerge, LongPiecesMergeLikeShortOnes) {
  // The heap merge (pieces over 128 bytes) against the array merge: a long word encodes to the
  // ids of its parts where the parts split at the same merge boundaries, and always decodes.
  for (const Encoding* e : {&o200kBase(), &cl100kBase()}) {
    for (const std::string unit : {"ab", "abc", "x", "é", "中文", "=-"}) {
      std::string word;
      while (word.size() < 5000) word += unit;
      const auto ids = e->encode(word);
      EXPECT_EQ(decode(*e, ids), word);
      EXPECT_EQ(e->count(word), ids.size());
      EXPECT_LT(ids.size(), word.size());
    }
  }
}

TEST(TokenizerModels, EncodingFollowsTheModelFamily) {
  for (const char* m :
       {"gpt-4o", "gpt-4o-mini-2024-07-18", "openai/gpt-4.1-nano", "gpt-5", "gpt-5.1-codex", "o1",
        "o3-mini", "o4-mini-2025-04-16", "chatgpt-4o-latest", "azure/GPT-4o",
        "ft:gpt-4o-mini-2024-07-18:org::abc", "gpt-oss-120b", "openrouter/openai/gpt-4o"}) {
    EXPECT_EQ(encodingForModel(m), &o200kBase()) << m;
  }
  for (const char* m : {"gpt-4", "gpt-4-turbo", "gpt-4-0613", "gpt-3.5-turbo", "azure/gpt-35-turbo",
                        "text-embedding-3-small", "text-embedding-ada-002", "ft:gpt-3.5-turbo:x"}) {
    EXPECT_EQ(encodingForModel(m), &cl100kBase()) << m;
  }
  for (const char* m : {"claude-3-5-sonnet", "anthropic/claude-sonnet-4", "gemini-2.0-flash",
                        "llama-3.1-70b", "o1x", "mistral-large", "", "gpt"}) {
    EXPECT_EQ(encodingForModel(m), nullptr) << m;
  }
}

}  // namespace
}  // namespace switchyard::tokenizer
