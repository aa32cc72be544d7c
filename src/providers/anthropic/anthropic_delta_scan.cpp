#include "providers/anthropic/anthropic_delta_scan.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include "api/json_scan.hpp"

namespace switchyard::anthropic {

namespace json = boost::json;

namespace {

constexpr std::string_view kDeltaType = "content_block_delta";

struct DeltaHandler : JsonScanDefaults {
  explicit DeltaHandler(DeltaScan& out) : out(out) {}

  DeltaScan& out;
  int depth = 0;                 // 1: the event, 2: its delta
  int skipDepth = 0;             // levels inside a value nobody reads
  bool top = false;              // the text is an object
  std::string* field = nullptr;  // where the coming string value goes, when it is one
  bool indexNext = false;
  bool deltaNext = false;
  bool readsNext = false;  // the coming value is of a member the scan reads
  unsigned seen = 0;
  ShortKey key;
  std::string part;

  static bool refuse(Code& ec) {
    ec = json::error::syntax;
    return false;
  }
  void clearNext() {
    field = nullptr;
    indexNext = deltaNext = readsNext = false;
  }

  bool on_object_begin(Code& ec) {
    if (skipDepth > 0 || (depth > 0 && !readsNext)) {
      ++skipDepth;
      clearNext();
      return true;
    }
    if (depth == 0) {
      top = true;
      depth = 1;
      return true;
    }
    if (depth == 1 && deltaNext) {
      out.hasDelta = true;
      depth = 2;
      clearNext();
      return true;
    }
    return refuse(ec);  // a member that is read holds an object
  }
  bool on_array_begin(Code& ec) {
    if (skipDepth > 0 || (depth > 0 && !readsNext)) {
      ++skipDepth;
      clearNext();
      return true;
    }
    return refuse(ec);
  }
  bool on_object_end(std::size_t, Code&) {
    if (skipDepth > 0) {
      --skipDepth;
    } else {
      --depth;
    }
    return true;
  }
  bool on_array_end(std::size_t, Code&) {
    --skipDepth;
    return true;
  }

  bool on_key_part(View s, std::size_t, Code&) {
    key.append(s);
    return true;
  }
  bool on_key(View s, std::size_t, Code& ec) {
    key.append(s);
    const std::string_view k = key;
    key.clear();
    clearNext();
    if (skipDepth > 0) return true;
    unsigned bit = 0;
    if (depth == 1) {
      if (k == "type") {
        field = &out.type, bit = 1;
      } else if (k == "index") {
        indexNext = true, bit = 2;
      } else if (k == "delta") {
        deltaNext = true, bit = 4;
      }
    } else if (k == "type") {
      field = &out.deltaType, bit = 8;
    } else if (k == "text") {
      field = &out.text, bit = 16;
    } else if (k == "partial_json") {
      field = &out.partialJson, bit = 32;
    } else if (k == "thinking") {
      field = &out.thinking, bit = 64;
    } else if (k == "signature") {
      field = &out.signature, bit = 128;
    }
    if (bit == 0) return true;
    if (seen & bit) return refuse(ec);  // which one the tree keeps is the tree's to say
    seen |= bit;
    readsNext = true;
    return true;
  }

  bool on_string_part(View s, std::size_t, Code&) {
    if (skipDepth == 0 && field) part.append(s.data(), s.size());
    return true;
  }
  bool on_string(View s, std::size_t, Code& ec) {
    std::string* to = skipDepth == 0 ? field : nullptr;
    clearNext();
    if (!to) {
      part.clear();
      return true;
    }
    if (part.empty()) {
      to->assign(s.data(), s.size());
    } else {
      part.append(s.data(), s.size());
      to->swap(part);
      part.clear();
    }
    // Another event is the tree's to read: no need to scan the rest of it.
    if (to == &out.type && !out.type.empty() && out.type != kDeltaType) return refuse(ec);
    return true;
  }
  bool on_int64(int64_t v, View, Code&) {
    if (skipDepth == 0 && indexNext) out.index = v < 0 ? -1 : v;
    clearNext();
    return true;
  }
  // Other scalars: as absent, like the tree's stringField / is_int64 / objectField.
  bool on_uint64(uint64_t, View, Code&) {
    clearNext();
    return true;
  }
  bool on_double(double, View, Code&) {
    clearNext();
    return true;
  }
  bool on_bool(bool, Code&) {
    clearNext();
    return true;
  }
  bool on_null(Code&) {
    clearNext();
    return true;
  }
};

}  // namespace

bool DeltaScan::read(std::string_view event, std::string_view data) {
  type.clear();
  index = -1;
  hasDelta = false;
  deltaType.clear();
  text.clear();
  partialJson.clear();
  thinking.clear();
  signature.clear();
  json::basic_parser<DeltaHandler> parser(json::parse_options{}, *this);
  boost::system::error_code ec;
  const size_t used = parser.write_some(false, data.data(), data.size(), ec);
  if (ec || used != data.size() || !parser.done() || !parser.handler().top) return false;
  return (type.empty() ? event : std::string_view(type)) == kDeltaType;
}

}  // namespace switchyard::anthropic
