#include "api/openai/middle_out.hpp"

#include <algorithm>
#include <vector>

#include "api/openai/chat_tokens.hpp"
#include "api/token_count.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

std::string_view roleOf(const json::value& m) {
  const auto* o = m.if_object();
  const auto* role = o ? o->if_contains("role") : nullptr;
  return role && role->is_string() ? std::string_view(role->get_string()) : std::string_view();
}

bool callsTools(const json::value& m) {
  const auto* o = m.if_object();
  const auto* calls = o ? o->if_contains("tool_calls") : nullptr;
  return calls && calls->is_array() && !calls->get_array().empty();
}

bool isInstruction(std::string_view role) { return role == "system" || role == "developer"; }

int64_t tokensOf(const json::value& m, const tokenizer::Encoding* encoding) {
  TokenTally tally(encoding);
  if (m.is_object()) countChatMessage(m.get_object(), tally);
  return tally.total();
}

int64_t totalOf(const json::array& messages, const tokenizer::Encoding* encoding) {
  TokenTally tally(encoding);
  for (const auto& m : messages) {
    if (m.is_object()) countChatMessage(m.get_object(), tally);
  }
  return tally.total();
}

// A run of messages that goes or stays together: one message, or an assistant message with tool
// calls and the tool results after it.
struct Unit {
  size_t begin = 0;
  size_t end = 0;
  int64_t tokens = 0;
};

// The units that may be dropped, in conversation order.
std::vector<Unit> droppableUnits(const json::array& messages, const tokenizer::Encoding* encoding) {
  const size_t n = messages.size();
  size_t head = 0;  // past the first user message
  while (head < n && roleOf(messages[head]) != "user") ++head;
  ++head;
  size_t tail = n == 0 ? 0 : n - 1;  // the last message, with the tool calls it answers
  while (tail > head && roleOf(messages[tail]) == "tool") --tail;
  std::vector<Unit> units;
  for (size_t i = head; i < tail;) {
    size_t end = i + 1;
    if (callsTools(messages[i])) {
      while (end < tail && roleOf(messages[end]) == "tool") ++end;
    }
    // Results whose call is kept (before `head`) stay with it.
    const bool orphan = roleOf(messages[i]) == "tool";
    if (!orphan && !isInstruction(roleOf(messages[i]))) {
      Unit u{i, end, 0};
      for (size_t k = i; k < end; ++k) u.tokens += tokensOf(messages[k], encoding);
      units.push_back(u);
    }
    i = end;
  }
  return units;
}

// Where text may be cut between code points (never inside a UTF-8 sequence).
size_t charBoundary(std::string_view s, size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

// Cuts the middle out of the longest string content so that about `excess` tokens go.
bool cutLongestText(json::array& messages, int64_t excess, const tokenizer::Encoding* encoding) {
  json::string* longest = nullptr;
  for (auto& m : messages) {
    auto* o = m.if_object();
    auto* content = o ? o->if_contains("content") : nullptr;
    if (content && content->is_string() &&
        (!longest || content->get_string().size() > longest->size())) {
      longest = &content->get_string();
    }
  }
  if (!longest || longest->size() < 2 * kMiddleOutMarker.size()) return false;
  const std::string_view text = *longest;
  TokenTally tally(encoding);
  tally.text(text);
  const int64_t tokens = std::max<int64_t>(tally.total(), 1);
  // Bytes per token of this text, and a margin for the marker and the cut's edges.
  const double perToken = static_cast<double>(text.size()) / static_cast<double>(tokens);
  const auto drop =
      static_cast<size_t>(static_cast<double>(excess + 16) * perToken) + kMiddleOutMarker.size();
  if (drop >= text.size()) return false;
  const size_t keep = text.size() - drop;
  const size_t headEnd = charBoundary(text, keep / 2);
  const size_t tailBegin = charBoundary(text, text.size() - (keep - keep / 2));
  std::string cut;
  cut.reserve(keep + kMiddleOutMarker.size());
  cut.append(text.substr(0, headEnd));
  cut.append(kMiddleOutMarker);
  cut.append(text.substr(tailBegin));
  *longest = cut;
  return true;
}

}  // namespace

MiddleOutResult middleOut(json::object& body, int64_t window, const tokenizer::Encoding* encoding) {
  MiddleOutResult r;
  r.window = window;
  auto* list = body.if_contains("messages");
  if (!list || !list->is_array()) return r;
  json::array& messages = list->get_array();
  // What the messages cannot change: the reply's priming and the tool definitions.
  TokenTally fixed(encoding);
  fixed.reply();
  if (const auto* tools = body.if_contains("tools"); tools && tools->is_array()) {
    countChatTools(tools->get_array(), fixed);
  }
  const int64_t overhead = fixed.total();
  const int64_t budget = window - overhead;
  r.tokensBefore = totalOf(messages, encoding) + overhead;
  r.tokensAfter = r.tokensBefore;
  if (r.tokensBefore <= window) return r;

  // Drop the unit nearest the middle of what is left, again and again: the oldest context after
  // the first question and the newest before the last turn are what the model needs most.
  std::vector<Unit> units = droppableUnits(messages, encoding);
  std::vector<bool> dropped(messages.size(), false);
  int64_t left = r.tokensBefore - overhead;
  while (left > budget && !units.empty()) {
    const size_t k = units.size() / 2;
    for (size_t i = units[k].begin; i < units[k].end; ++i) dropped[i] = true;
    left -= units[k].tokens;
    r.messagesRemoved += units[k].end - units[k].begin;
    units.erase(units.begin() + static_cast<std::ptrdiff_t>(k));
  }
  if (r.messagesRemoved > 0) {
    json::array kept(messages.storage());
    for (size_t i = 0; i < messages.size(); ++i) {
      if (!dropped[i]) kept.push_back(std::move(messages[i]));
    }
    messages = std::move(kept);
  }
  r.tokensAfter = totalOf(messages, encoding) + overhead;
  // Still too long (one huge message): cut the middle of the longest text, a few times at most
  // as the first cut's estimate of bytes per token may fall short.
  for (int round = 0; round < 4 && r.tokensAfter > window; ++round) {
    if (!cutLongestText(messages, r.tokensAfter - window, encoding)) break;
    r.textCut = true;
    r.tokensAfter = totalOf(messages, encoding) + overhead;
  }
  return r;
}

}  // namespace switchyard
