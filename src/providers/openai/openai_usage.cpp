#include "providers/openai/openai_usage.hpp"

#include <algorithm>
#include <bit>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/object.hpp>
#include <cstring>
#include <optional>
#include <string>

#include "api/json_scan.hpp"
#include "core/word_bytes.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

// The counts as found, before they are settled into Usage (chat's names and the Responses API's);
// one mapping from (enclosing key, key) to field serves the parsed-tree reader and the streaming
// scanner alike.
struct UsageCounts {
  int64_t prompt = 0;
  int64_t completion = 0;
  int64_t total = 0;
  int64_t cached = 0;
  int64_t reasoning = 0;
  int64_t topLevelReasoning = 0;  // DeepSeek on Azure reports it outside the details
  int64_t cacheWrite = 0;
  int64_t topLevelCacheWrite = 0;
  int64_t topLevelCached = 0;

  void set(std::string_view parent, std::string_view key, int64_t v) {
    if (parent.empty()) {
      if (key == "prompt_tokens") prompt = v;
      if (key == "completion_tokens") completion = v;
      if (key == "total_tokens") total = v;
      if (key == "reasoning_tokens") topLevelReasoning = v;
      if (key == "cache_creation_input_tokens") topLevelCacheWrite = v;
      if (key == "prompt_cache_hit_tokens") topLevelCached = v;  // DeepSeek
      if (key == "input_tokens") prompt = v;                     // the Responses API's names
      if (key == "output_tokens") completion = v;
    } else if (parent == "input_tokens_details") {
      if (key == "cached_tokens") cached = v;
    } else if (parent == "output_tokens_details") {
      if (key == "reasoning_tokens") reasoning = v;
    } else if (parent == "prompt_tokens_details") {
      // OpenAI-compatible hosts in front of Anthropic models report cache writes here.
      if (key == "cached_tokens") cached = v;
      if ((key == "cache_write_tokens" || key == "cache_creation_tokens") && cacheWrite == 0) {
        cacheWrite = v;
      }
    } else if (parent == "completion_tokens_details" && key == "reasoning_tokens") {
      reasoning = v;
    }
  }

  void settle(Usage& out) const {
    out.present = true;
    out.promptTokens = prompt;
    out.totalTokens = total != 0 ? total : prompt + completion;
    out.completionTokens = completion;
    out.cachedPromptTokens = cached != 0 ? cached : topLevelCached;
    out.reasoningTokens = reasoning != 0 ? reasoning : topLevelReasoning;
    out.cacheWriteTokens = cacheWrite != 0 ? cacheWrite : topLevelCacheWrite;
  }
};

std::optional<int64_t> asCount(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double()) return static_cast<int64_t>(v.get_double());
  return std::nullopt;
}

void readObject(const json::object& obj, std::string_view parent, UsageCounts& counts) {
  for (const auto& [key, value] : obj) {
    if (auto n = asCount(value)) {
      counts.set(parent, key, *n);
    } else if (parent.empty() && value.is_object()) {
      readObject(value.get_object(), key, counts);
    }
  }
}

// SAX events of the usage object: numbers at depth 1, or at depth 2 inside a details object.
class UsageHandler : public JsonScanDefaults {
 public:
  UsageCounts counts;

  bool on_object_begin(boost::system::error_code&) {
    if (depth_ == 1) parent_ = key_;
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t, boost::system::error_code&) {
    if (--depth_ == 1) parent_.clear();
    return true;
  }
  bool on_array_begin(boost::system::error_code&) {
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t, boost::system::error_code&) {
    --depth_;
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t n, boost::system::error_code& ec) {
    return on_key(s, n, ec);
  }
  bool on_key(json::string_view s, std::size_t n, boost::system::error_code&) {
    if (n == s.size()) key_.clear();
    key_.append(s);
    return true;
  }
  bool on_int64(int64_t i, json::string_view, boost::system::error_code&) { return number(i); }
  bool on_uint64(uint64_t u, json::string_view, boost::system::error_code&) {
    return number(static_cast<int64_t>(u));
  }
  bool on_double(double d, json::string_view, boost::system::error_code&) {
    return number(static_cast<int64_t>(d));
  }

 private:
  bool number(int64_t v) {
    if (depth_ == 1) counts.set({}, key_, v);
    if (depth_ == 2 && !parent_.empty()) counts.set(parent_, key_, v);
    return true;
  }

  int depth_ = 0;
  ShortKey key_;
  ShortKey parent_;
};

bool isJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The usage object as OpenAI-compatible hosts write it, read by hand: keys without escapes,
// whole non-negative numbers, and objects of those one level down (the *_details). The general
// parser costs more to set up than such an object has bytes. Anything else (a string, null, a
// fraction, an escape, bad syntax) makes it give up with nothing recorded, and the general parser
// reads the object instead; what both accept, they read the same.
class PlainUsageReader {
 public:
  explicit PlainUsageReader(std::string_view text) : text_(text) {}

  // `text` starts at the usage object's '{'.
  bool read(UsageCounts& out) {
    UsageCounts counts;
    if (!object({}, 1, counts)) return false;
    out = counts;
    return true;
  }

 private:
  // An object at `depth` 1 (usage itself) or 2 (inside the member `parent`); numbers one level
  // down count only under a named parent, as in UsageHandler.
  bool object(std::string_view parent, int depth, UsageCounts& counts) {
    ++i_;  // the '{'
    skipSpace();
    if (peek() == '}') {
      ++i_;
      return true;
    }
    while (true) {
      std::string_view key;
      if (!readKey(key)) return false;
      skipSpace();
      if (peek() != ':') return false;
      ++i_;
      skipSpace();
      if (peek() == '{') {
        if (depth > 1 || !object(key, 2, counts)) return false;  // deeper than details
      } else {
        int64_t v = 0;
        if (!readCount(v)) return false;
        if (depth == 1 || !parent.empty()) counts.set(parent, key, v);
      }
      skipSpace();
      if (peek() == ',') {
        ++i_;
        skipSpace();
        continue;
      }
      if (peek() != '}') return false;
      ++i_;
      return true;
    }
  }

  // The loops run on locals: through the members, every byte would reload them.
  bool readKey(std::string_view& key) {
    if (peek() != '"') return false;
    const char* const begin = text_.data() + i_ + 1;
    const char* const end = text_.data() + text_.size();
    const char* p = begin;
    // Eight bytes at a time to the first quote, backslash, control or non-ASCII byte (the first
    // mark of a word is exact); only a quote may end a plain key.
    while (end - p >= 8) {
      using namespace word_bytes;
      const uint64_t w = load(p);
      const uint64_t marks = equal(w, '"') | equal(w, '\\') | below(w, 0x20) | (w & kHighs);
      if (marks == 0) {
        p += 8;
        continue;
      }
      p += std::countr_zero(marks) / 8;
      break;
    }
    for (; p < end && *p != '"'; ++p) {
      const auto c = static_cast<unsigned char>(*p);
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
    }
    if (p == end) return false;
    key = std::string_view(begin, static_cast<size_t>(p - begin));
    i_ = static_cast<size_t>(p - text_.data()) + 1;
    return true;
  }

  // Digits only, no leading zero, at most 18 of them (no overflow), then a delimiter.
  bool readCount(int64_t& v) {
    const char* const begin = text_.data() + i_;
    const char* const end = text_.data() + text_.size();
    const char* p = begin;
    uint64_t n = 0;  // unsigned: a long run of digits wraps harmlessly before it is refused
    for (; p < end && *p >= '0' && *p <= '9'; ++p) n = n * 10 + static_cast<uint64_t>(*p - '0');
    const auto digits = p - begin;
    if (digits == 0 || digits > 18 || (digits > 1 && *begin == '0')) return false;
    v = static_cast<int64_t>(n);
    i_ += static_cast<size_t>(digits);
    const char next = peek();
    return next == ',' || next == '}' || isJsonSpace(next);
  }

  char peek() const { return i_ < text_.size() ? text_[i_] : '\0'; }
  void skipSpace() {
    while (i_ < text_.size() && isJsonSpace(text_[i_])) ++i_;
  }

  std::string_view text_;
  size_t i_ = 0;
};

}  // namespace

void readOpenAiUsage(const json::value& usage, Usage& out) {
  const auto* obj = usage.if_object();
  if (!obj) return;
  UsageCounts counts;
  readObject(*obj, {}, counts);
  counts.settle(out);
}

bool scanOpenAiUsage(std::string_view body, Usage& out) {
  // The top-level usage object comes after the choices; a "usage" key inside message content
  // would be escaped (\"usage\") and cannot match.
  constexpr std::string_view kKey = "\"usage\"";
  // Found backwards from its 'g' with memrchr, a rare letter in an answer's keys: rfind would
  // compare at every position from the end.
  auto lastKeyBefore = [&](size_t end) -> size_t {
    while (end > 0) {
      const void* g = memrchr(body.data(), 'g', end);
      if (g == nullptr) return std::string_view::npos;
      const size_t at = static_cast<size_t>(static_cast<const char*>(g) - body.data());
      if (at >= 4 && body.substr(at - 4, kKey.size()) == kKey) return at - 4;
      end = at;
    }
    return std::string_view::npos;
  };
  size_t end = body.size();
  while (end > 0) {
    const size_t k = lastKeyBefore(end);
    if (k == std::string_view::npos) return false;
    size_t i = k + kKey.size();
    while (i < body.size() && isJsonSpace(body[i])) ++i;
    if (i < body.size() && body[i] == ':') {
      ++i;
      while (i < body.size() && isJsonSpace(body[i])) ++i;
      if (i < body.size() && body[i] == '{') {
        UsageCounts counts;
        if (PlainUsageReader(body.substr(i)).read(counts)) {
          counts.settle(out);
          return true;
        }
        // Parsing stops where the usage object ends; the rest of the body is never read.
        json::basic_parser<UsageHandler> parser(json::parse_options{});
        boost::system::error_code ec;
        parser.write_some(false, body.data() + i, body.size() - i, ec);
        if (parser.done()) {
          parser.handler().counts.settle(out);
          return true;
        }
      }
    }
    end = k;
  }
  return false;
}

}  // namespace switchyard
