#include "providers/openai/openai_chunk_scan.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include "api/json_scan.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

// Where the parser is: the members the decoder reads at each level, and everything else, which
// is skipped whatever it holds.
enum class At : uint8_t {
  kTop,      // the chunk object
  kChoices,  // the choices array
  kChoice,   // one choice object
  kDelta,    // a choice's delta object
  kSkipped,  // inside a value nobody reads
};

// The member whose value comes next.
enum class Field : uint8_t {
  kNone,  // not read (its value is skipped)
  kId,
  kModel,
  kCreated,
  kNullOnly,  // read only when null (error, usage, tool calls, reasoning): else the tree reads it
  kChoices,
  kIndex,
  kDelta,
  kFinish,
  kStop,
  kContent,
  kRefusal,
};

struct ChunkHandler : JsonScanDefaults {
  static constexpr int kMaxDepth = 40;
  explicit ChunkHandler(ChunkScan& out) : out(out) {}

  ChunkScan& out;
  At stack[kMaxDepth];
  int depth = 0;  // levels entered; stack[depth - 1] is where we are
  int skipDepth = 0;
  Field field = Field::kNone;
  bool top = false;  // the text is an object
  ShortKey key;
  std::string part;  // a string value that came in parts
  // Members read at most once per object (a second one is left to the tree).
  unsigned seenTop = 0;
  unsigned seenChoice = 0;
  unsigned seenDelta = 0;

  At where() const { return depth == 0 ? At::kSkipped : stack[depth - 1]; }
  // A value that is an element of the choices array itself.
  bool inChoices() const { return skipDepth == 0 && where() == At::kChoices; }
  ChunkScan::Choice& choice() { return out.choices[out.choiceCount - 1]; }

  // Refuses the chunk: the tree reads it.
  static bool refuse(Code& ec) {
    ec = json::error::syntax;
    return false;
  }
  static bool once(unsigned& seen, Field f) {
    const unsigned bit = 1u << static_cast<unsigned>(f);
    if (seen & bit) return false;
    seen |= bit;
    return true;
  }

  bool push(At a, Code& ec) {
    if (depth == kMaxDepth) return refuse(ec);
    stack[depth++] = a;
    return true;
  }
  // A container begins as the value of `field` (or an array element).
  bool enter(bool object, Code& ec) {
    const At at = where();
    const Field f = field;
    field = Field::kNone;
    if (skipDepth > 0 || (depth > 0 && f == Field::kNone && at != At::kChoices)) {
      ++skipDepth;
      return true;
    }
    if (depth == 0) {
      if (!object) return refuse(ec);
      top = true;
      return push(At::kTop, ec);
    }
    if (at == At::kTop && f == Field::kChoices && !object) return push(At::kChoices, ec);
    if (at == At::kChoices) {
      if (!object) return refuse(ec);  // a malformed choice: the tree says so
      if (out.choiceCount == out.choices.size()) out.choices.emplace_back();
      ChunkScan::Choice& c = out.choices[out.choiceCount++];
      c.index = 0;
      c.hasText = false;
      c.text.clear();
      c.refusal.clear();
      c.finishReason.clear();
      c.stopReason.clear();
      seenChoice = 0;
      return push(At::kChoice, ec);
    }
    if (at == At::kChoice && f == Field::kDelta && object) {
      seenDelta = 0;
      return push(At::kDelta, ec);
    }
    // A member that is read holds an object or array where the scan reads only scalars.
    return refuse(ec);
  }
  bool leave() {
    if (skipDepth > 0) {
      --skipDepth;
    } else {
      --depth;
    }
    return true;
  }

  bool on_object_begin(Code& ec) { return enter(true, ec); }
  bool on_array_begin(Code& ec) { return enter(false, ec); }
  bool on_object_end(std::size_t, Code&) { return leave(); }
  bool on_array_end(std::size_t, Code&) { return leave(); }

  bool on_key_part(View s, std::size_t, Code&) {
    key.append(s);
    return true;
  }
  bool on_key(View s, std::size_t, Code& ec) {
    key.append(s);
    const std::string_view k = key;
    key.clear();
    field = Field::kNone;
    if (skipDepth > 0) return true;
    Field f = Field::kNone;
    unsigned* seen = nullptr;
    switch (where()) {
      case At::kTop:
        seen = &seenTop;
        if (k == "id")
          f = Field::kId;
        else if (k == "model")
          f = Field::kModel;
        else if (k == "created")
          f = Field::kCreated;
        else if (k == "choices")
          f = Field::kChoices;
        // An error, usage (Groq's in x_groq).
        else if (k == "error" || k == "usage" || k == "x_groq")
          f = Field::kNullOnly;
        break;
      case At::kChoice:
        seen = &seenChoice;
        if (k == "index")
          f = Field::kIndex;
        else if (k == "delta")
          f = Field::kDelta;
        else if (k == "finish_reason")
          f = Field::kFinish;
        else if (k == "stop_reason")
          f = Field::kStop;
        break;
      case At::kDelta:
        seen = &seenDelta;
        if (k == "content")
          f = Field::kContent;
        else if (k == "refusal")
          f = Field::kRefusal;
        // The delta's other members that the tree reads.
        else if (k == "tool_calls" || k == "reasoning_content" || k == "reasoning" ||
                 k == "thinking_blocks")
          f = Field::kNullOnly;
        break;
      default:
        break;
    }
    if (f != Field::kNone && f != Field::kNullOnly && !once(*seen, f)) return refuse(ec);
    field = f;
    return true;
  }

  bool on_string_part(View s, std::size_t, Code&) {
    if (skipDepth == 0 && field != Field::kNone) part.append(s.data(), s.size());
    return true;
  }
  bool on_string(View s, std::size_t, Code& ec) {
    if (inChoices()) return refuse(ec);  // a malformed choice: the tree says so
    const Field f = field;
    field = Field::kNone;
    if (skipDepth > 0 || f == Field::kNone) {
      part.clear();
      return true;
    }
    std::string* to = nullptr;
    switch (f) {
      case Field::kId:
        to = &out.id;
        break;
      case Field::kModel:
        to = &out.model;
        break;
      case Field::kFinish:
        to = &choice().finishReason;
        break;
      case Field::kStop:
        to = &choice().stopReason;
        break;
      case Field::kContent:
        choice().hasText = true;
        to = &choice().text;
        break;
      case Field::kRefusal:
        to = &choice().refusal;
        break;
      case Field::kCreated:
      case Field::kIndex:
      case Field::kDelta:
        return true;  // not of the type read: as absent
      default:
        return refuse(ec);  // choices that are not an array, or what only the tree reads
    }
    if (part.empty()) {
      to->assign(s.data(), s.size());
    } else {
      part.append(s.data(), s.size());
      to->swap(part);
      part.clear();
    }
    return true;
  }
  // A scalar other than a string: read only where the tree reads one of its kind.
  bool scalar(Code& ec, bool isNull) {
    if (inChoices()) return refuse(ec);  // a malformed choice: the tree says so
    const Field f = field;
    field = Field::kNone;
    if (skipDepth > 0) return true;
    switch (f) {
      case Field::kNullOnly:
        return isNull || refuse(ec);
      case Field::kChoices:
        return refuse(ec);
      default:
        return true;  // absent, for the tree's stringField / is_int64 / is_object
    }
  }
  bool on_int64(int64_t v, View, Code& ec) {
    if (skipDepth == 0 && field == Field::kCreated) out.created = v;
    if (skipDepth == 0 && field == Field::kIndex) choice().index = static_cast<int32_t>(v);
    return scalar(ec, false);
  }
  bool on_uint64(uint64_t, View, Code& ec) { return scalar(ec, false); }
  bool on_double(double, View, Code& ec) { return scalar(ec, false); }
  bool on_bool(bool, Code& ec) { return scalar(ec, false); }
  bool on_null(Code& ec) { return scalar(ec, true); }
};

}  // namespace

bool ChunkScan::read(std::string_view data) {
  id.clear();
  model.clear();
  created = 0;
  choiceCount = 0;
  json::basic_parser<ChunkHandler> parser(json::parse_options{}, *this);
  boost::system::error_code ec;
  const size_t used = parser.write_some(false, data.data(), data.size(), ec);
  return !ec && used == data.size() && parser.done() && parser.handler().top;
}

}  // namespace switchyard
