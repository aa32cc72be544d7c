#include "api/openai/parse_request.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <optional>

#include "api/json_kind.hpp"
#include "api/json_scan.hpp"
#include "core/text.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;
using Kind = json::kind;

enum class Want { kString, kNumber, kInteger, kBool, kArray, kObject, kStringOrArray };

std::string_view wantName(Want w) {
  switch (w) {
    case Want::kString:
      return "a string";
    case Want::kNumber:
      return "a number";
    case Want::kInteger:
      return "an integer";
    case Want::kBool:
      return "a boolean";
    case Want::kArray:
      return "an array";
    case Want::kObject:
      return "an object";
    case Want::kStringOrArray:
      return "a string or an array";
  }
  return "a value";
}

// `real` is the value when the kind is a double: a whole number passes as an integer.
bool matches(Kind k, double real, Want w) {
  switch (w) {
    case Want::kString:
      return k == Kind::string;
    case Want::kNumber:
      return k == Kind::int64 || k == Kind::uint64 || k == Kind::double_;
    case Want::kInteger:
      return k == Kind::int64 || k == Kind::uint64 || (k == Kind::double_ && isWholeNumber(real));
    case Want::kBool:
      return k == Kind::bool_;
    case Want::kArray:
      return k == Kind::array;
    case Want::kObject:
      return k == Kind::object;
    case Want::kStringOrArray:
      return k == Kind::string || k == Kind::array;
  }
  return false;
}

Error typeError(std::string_view field, Kind got, Want w) {
  return Error::make(ErrorClass::kBadRequest,
                     "Invalid type for '" + std::string(field) + "': expected " +
                         std::string(wantName(w)) + ", but got " + std::string(jsonKindName(got)) +
                         " instead.",
                     std::string(field), "invalid_type");
}

Error missing(std::string_view field) {
  return Error::make(ErrorClass::kBadRequest,
                     "Missing required parameter: '" + std::string(field) + "'.",
                     std::string(field), "missing_required_parameter");
}

Error emptyArray(std::string_view field, std::string_view detail) {
  return Error::make(ErrorClass::kBadRequest,
                     "Invalid '" + std::string(field) + "': empty array." + std::string(detail),
                     std::string(field), "empty_array");
}

// The top-level members the gateway reads or checks. The optional ones have a type rule; null
// is accepted for all of those, as OpenAI does. Everything else passes through unread.
enum Member : uint8_t {
  kModel,
  kMessages,
  kPrompt,
  kInput,
  kStream,
  kStreamOptions,
  kModels,
  kProvider,
  kTransforms,
  kTemperature,
  kTopP,
  kMaxTokens,
  kMaxCompletionTokens,
  kN,
  kPresencePenalty,
  kFrequencyPenalty,
  kSeed,
  kUser,
  kTools,
  kStop,
  kMetadata,
  kResponseFormat,
  kLogitBias,
  kQuery,
  kDocuments,
  kVoice,
  kMemberCount,
  kOther = kMemberCount,
};

struct MemberRule {
  std::string_view name;
  std::optional<Want> want;
};

constexpr MemberRule kMembers[kMemberCount] = {
    {"model", {}},
    {"messages", {}},
    {"prompt", {}},
    {"input", {}},
    {"stream", Want::kBool},
    {"stream_options", Want::kObject},
    {"models", {}},
    {"provider", {}},
    {"transforms", {}},
    {"temperature", Want::kNumber},
    {"top_p", Want::kNumber},
    {"max_tokens", Want::kInteger},
    {"max_completion_tokens", Want::kInteger},
    {"n", Want::kInteger},
    {"presence_penalty", Want::kNumber},
    {"frequency_penalty", Want::kNumber},
    {"seed", Want::kInteger},
    {"user", Want::kString},
    {"tools", Want::kArray},
    {"stop", Want::kStringOrArray},
    {"metadata", Want::kObject},
    {"response_format", Want::kObject},
    {"logit_bias", Want::kObject},
    {"query", {}},
    {"documents", {}},
    {"voice", {}},
};

// The media and ranking endpoints (forwardsAnswer) share few members with chat: their
// "response_format" is a string, and their own members are checked as required ones. Of the
// type rules only these apply to them.
bool typeRuleApplies(Member m, Endpoint endpoint) {
  return !forwardsAnswer(endpoint) || m == kStream || m == kN || m == kUser;
}

Member memberNamed(std::string_view key) {
  for (uint8_t m = 0; m < kMemberCount; ++m) {
    if (kMembers[m].name.size() == key.size() && kMembers[m].name == key) return Member(m);
  }
  return kOther;
}

// What the body says about one member. A parsed tree keeps the last value of a repeated key at
// the place of its first one; the scan records the same, so that it reports what a tree would.
struct MemberSeen {
  bool present = false;
  bool typeOk = true;
  bool emptyArray = false;
  Kind kind = Kind::null;
  uint32_t order = 0;  // the place of its first occurrence among the top-level members
  uint32_t count = 0;
};

// The first message that fails the checks, and how.
struct MessageFault {
  enum class What : uint8_t { kNotObject, kNoRole, kRoleType };
  What what = What::kNotObject;
  size_t index = 0;
  Kind kind = Kind::null;
};

// One pass of SAX events over the body: syntax (the same parser and limits as a tree), the
// members the gateway checks, and where the model's value sits in the text. Depth counts the
// open containers: top-level members' values arrive at depth 1.
class RequestScan : public JsonScanDefaults {
 public:
  explicit RequestScan(std::string_view text) : text_(text) {}

  bool on_object_begin(Code&) {
    open(Kind::object);
    return true;
  }
  bool on_object_end(std::size_t n, Code&) {
    close(n);
    return true;
  }
  bool on_array_begin(Code&) {
    open(Kind::array);
    return true;
  }
  bool on_array_end(std::size_t n, Code&) {
    close(n);
    return true;
  }
  bool on_key_part(View s, std::size_t n, Code&) {
    keyPart(s, n);
    return true;
  }
  bool on_key(View s, std::size_t n, Code&) {
    keyPart(s, n);
    keyDone();
    return true;
  }
  bool on_string_part(View s, std::size_t n, Code&) {
    stringPart(s, n, false);
    return true;
  }
  bool on_string(View s, std::size_t n, Code&) {
    stringPart(s, n, true);
    value(Kind::string);
    return true;
  }
  bool on_int64(int64_t i, View, Code&) {
    number_ = {RequestNumber::Type::kInt, i, 0};
    value(Kind::int64);
    return true;
  }
  bool on_uint64(uint64_t u, View, Code&) {
    number_ = {RequestNumber::Type::kInt, static_cast<int64_t>(u), 0};
    value(Kind::uint64);
    return true;
  }
  bool on_double(double d, View, Code&) {
    number_ = {RequestNumber::Type::kReal, 0, d};
    value(Kind::double_);
    return true;
  }
  bool on_bool(bool b, Code&) {
    bool_ = b;
    value(Kind::bool_);
    return true;
  }
  bool on_null(Code&) {
    value(Kind::null);
    return true;
  }

  // Read after the parse.
  Kind rootKind = Kind::null;
  MemberSeen seen[kMemberCount];
  std::string model;
  std::string user;                   // the last "user" member's text, when a string
  std::optional<JsonSpan> modelSpan;  // for the last "model" member, when it is plain text
  bool stream = false;
  std::optional<MessageFault> messageFault;
  std::optional<Kind> includeUsageKind;
  bool includeUsage = false;
  SamplingParameters parameters;

 private:
  void open(Kind k) {
    value(k);
    if (depth_ == 1) outer_ = k;
    if (depth_ == 2) inner_ = k;
    ++depth_;
  }

  void close(std::size_t n) {
    --depth_;
    if (depth_ == 1 && member_ != kOther && n == 0)
      seen[member_].emptyArray = outer_ == Kind::array;
    if (depth_ == 2 && inMessages() && inner_ == Kind::object) endMessage();
  }

  void keyPart(std::string_view s, std::size_t n) {
    if (n == s.size()) key_.clear();
    key_.append(s);
  }

  void keyDone() {
    const std::string_view key = key_;
    if (depth_ == 1) {
      member_ = memberNamed(key);
      ++order_;
      modelInParts_ = false;
    } else if (depth_ == 2 && member_ == kStreamOptions && outer_ == Kind::object) {
      includeUsageNext_ = key == "include_usage";
    } else if (depth_ == 3 && inMessages() && inner_ == Kind::object) {
      roleNext_ = key == "role";
    }
  }

  // String text arrives in parts when it holds escapes; only the model's and the user's are kept.
  void stringPart(std::string_view s, std::size_t n, bool last) {
    if (depth_ != 1) return;
    if (member_ == kUser) {
      if (n == s.size()) user.clear();
      user.append(s);
      return;
    }
    if (member_ != kModel) return;
    if (n == s.size()) model.clear();
    model.append(s);
    if (!last) {
      modelInParts_ = true;
      return;
    }
    // A string without escapes is handed over as a view of the text itself, between its quotes.
    const auto at = reinterpret_cast<uintptr_t>(s.data());
    const auto begin = reinterpret_cast<uintptr_t>(text_.data());
    if (!modelInParts_ && at > begin && at + s.size() < begin + text_.size() &&
        s.data()[-1] == '"' && s.data()[s.size()] == '"') {
      const size_t offset = at - begin;
      modelSpan = JsonSpan{offset - 1, offset + s.size() + 1};
    } else {
      modelSpan.reset();
    }
  }

  void value(Kind k) {
    if (depth_ == 0) {
      rootKind = k;
    } else if (depth_ == 1) {
      memberValue(k);
    } else if (depth_ == 2 && inMessages()) {
      startMessage(k);
    } else if (depth_ == 2 && member_ == kStreamOptions && outer_ == Kind::object &&
               includeUsageNext_) {
      includeUsageKind = k;
      includeUsage = k == Kind::bool_ && bool_;
    } else if (depth_ == 3 && inMessages() && inner_ == Kind::object && roleNext_) {
      roleKind_ = k;
    }
  }

  void memberValue(Kind k) {
    if (member_ == kOther) return;
    if (member_ == kUser && k != Kind::string) user.clear();
    MemberSeen& s = seen[member_];
    if (!s.present) s.order = order_;
    s.present = true;
    ++s.count;
    s.kind = k;
    s.emptyArray = false;
    const auto& want = kMembers[member_].want;
    s.typeOk = !want || k == Kind::null || matches(k, number_.d, *want);
    const RequestNumber number =
        k == Kind::int64 || k == Kind::uint64 || k == Kind::double_ ? number_ : RequestNumber{};
    switch (member_) {
      case kModel:
        if (k != Kind::string) {
          model.clear();
          modelSpan.reset();
        }
        break;
      case kMessages:
        messageFault.reset();
        messageCount_ = 0;
        break;
      case kStream:
        stream = k == Kind::bool_ && bool_;
        break;
      case kStreamOptions:
        includeUsageKind.reset();
        includeUsage = false;
        break;
      case kTemperature:
        parameters.temperature = number;
        break;
      case kTopP:
        parameters.topP = number;
        break;
      case kMaxTokens:
        parameters.maxTokens = number;
        break;
      case kMaxCompletionTokens:
        parameters.maxCompletionTokens = number;
        break;
      default:
        break;
    }
  }

  bool inMessages() const { return member_ == kMessages && outer_ == Kind::array; }

  void startMessage(Kind k) {
    const size_t index = messageCount_++;
    roleKind_.reset();
    roleNext_ = false;
    if (k != Kind::object && !messageFault) {
      messageFault = MessageFault{MessageFault::What::kNotObject, index, k};
    }
  }

  void endMessage() {
    if (messageFault) return;
    const size_t index = messageCount_ - 1;
    if (!roleKind_) {
      messageFault = MessageFault{MessageFault::What::kNoRole, index, Kind::null};
    } else if (*roleKind_ != Kind::string) {
      messageFault = MessageFault{MessageFault::What::kRoleType, index, *roleKind_};
    }
  }

  std::string_view text_;
  int depth_ = 0;
  Kind outer_ = Kind::null;  // the container at depth 1: the current member's value
  Kind inner_ = Kind::null;  // the container at depth 2: a message, or stream_options' values
  Member member_ = kOther;
  uint32_t order_ = 0;
  ShortKey key_;
  bool modelInParts_ = false;
  bool includeUsageNext_ = false;
  bool roleNext_ = false;
  std::optional<Kind> roleKind_;
  size_t messageCount_ = 0;
  RequestNumber number_;
  bool bool_ = false;
};

Error messageError(const MessageFault& f) {
  // The path is spelled out only for an error: a conversation may hold thousands of messages.
  const std::string path = "messages[" + std::to_string(f.index) + "]";
  switch (f.what) {
    case MessageFault::What::kNotObject:
      return typeError(path, f.kind, Want::kObject);
    case MessageFault::What::kNoRole:
      return missing(path + ".role");
    case MessageFault::What::kRoleType:
      return typeError(path + ".role", f.kind, Want::kString);
  }
  return missing(path);
}

// The first failing type rule, in the order of the members as a tree holds them.
std::optional<Error> typeRuleError(const RequestScan& scan, Endpoint endpoint) {
  const MemberSeen* worst = nullptr;
  size_t worstMember = 0;
  for (size_t m = 0; m < kMemberCount; ++m) {
    if (!typeRuleApplies(Member(m), endpoint)) continue;
    const MemberSeen& s = scan.seen[m];
    if (s.present && !s.typeOk && (!worst || s.order < worst->order)) {
      worst = &s;
      worstMember = m;
    }
  }
  if (!worst) return std::nullopt;
  return typeError(kMembers[worstMember].name, worst->kind, *kMembers[worstMember].want);
}

// A required member of one of the media and ranking endpoints: present, of its type, and not
// an empty array.
std::optional<Error> requiredMember(const RequestScan& scan, Member member, Want want) {
  const std::string_view name = kMembers[member].name;
  const MemberSeen& s = scan.seen[member];
  if (!s.present || s.kind == Kind::null) return missing(name);
  if (!matches(s.kind, 0, want)) return typeError(name, s.kind, want);
  if (s.emptyArray) return emptyArray(name, "");
  return std::nullopt;
}

// What each JSON media and ranking endpoint cannot do without, as OpenAI (and Cohere, for
// rerank) requires it.
std::optional<Error> forwardedRequiredError(const RequestScan& scan, Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kModerations:
      return requiredMember(scan, kInput, Want::kStringOrArray);
    case Endpoint::kRerank:
      if (auto e = requiredMember(scan, kQuery, Want::kString)) return e;
      return requiredMember(scan, kDocuments, Want::kArray);
    case Endpoint::kImageGenerations:
      return requiredMember(scan, kPrompt, Want::kString);
    case Endpoint::kAudioSpeech:
      if (auto e = requiredMember(scan, kInput, Want::kString)) return e;
      if (!scan.seen[kVoice].present || scan.seen[kVoice].kind == Kind::null) {
        return missing("voice");
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// Code points of a UTF-8 text: what a per-character price counts.
int64_t characters(std::string_view text) { return static_cast<int64_t>(utf8CodePoints(text)); }

// The units a JSON media request asks for (see RequestUnits).
RequestUnits unitsOf(Endpoint endpoint, const json::object& body) {
  RequestUnits units;
  if (endpoint == Endpoint::kImageGenerations) {
    const auto* n = body.if_contains("n");
    units.images = n && n->is_int64() && n->get_int64() > 0 ? n->get_int64() : 1;
  } else if (endpoint == Endpoint::kAudioSpeech) {
    if (const auto* input = body.if_contains("input"); input && input->is_string()) {
      units.characters = characters(input->get_string());
    }
  }
  return units;
}

std::optional<Error> requiredError(const RequestScan& scan, Endpoint endpoint) {
  if (forwardsAnswer(endpoint)) return forwardedRequiredError(scan, endpoint);
  if (endpoint == Endpoint::kChatCompletions) {
    const MemberSeen& m = scan.seen[kMessages];
    if (!m.present) return missing("messages");
    if (m.kind != Kind::array) return typeError("messages", m.kind, Want::kArray);
    if (m.emptyArray) return emptyArray("messages", " Expected an array with minimum length 1.");
    if (scan.messageFault) return messageError(*scan.messageFault);
    return std::nullopt;
  }
  const Member member = endpoint == Endpoint::kCompletions ? kPrompt : kInput;
  const std::string_view name = kMembers[member].name;
  const MemberSeen& s = scan.seen[member];
  if (!s.present) return missing(name);
  if (!matches(s.kind, 0, Want::kStringOrArray))
    return typeError(name, s.kind, Want::kStringOrArray);
  if (s.emptyArray) return emptyArray(name, "");
  return std::nullopt;
}

}  // namespace

Result<ApiRequest> parseOpenAiRequest(Endpoint endpoint, std::string_view body,
                                      json::storage_ptr storage) {
  json::basic_parser<RequestScan> parser(requestParseOptions(), body);
  boost::system::error_code ec;
  const size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && used != body.size()) ec = json::error::extra_data;
  if (ec) {
    return Error::make(ErrorClass::kBadRequest,
                       "We could not parse the JSON body of your request. (" + ec.message() + ")",
                       {}, "invalid_json");
  }
  const RequestScan& scan = parser.handler();
  if (scan.rootKind != Kind::object) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_json");
  }
  const MemberSeen& model = scan.seen[kModel];
  if (!model.present) return missing("model");
  if (model.kind != Kind::string) return typeError("model", model.kind, Want::kString);
  if (scan.model.empty()) {
    return Error::make(ErrorClass::kBadRequest, "'model' must not be empty.", "model",
                       "invalid_value");
  }
  if (auto e = typeRuleError(scan, endpoint)) return *e;
  if (auto e = requiredError(scan, endpoint)) return *e;

  ApiRequest req(std::move(storage));
  req.endpoint = endpoint;
  req.model = scan.model;
  req.endUser = scan.user;
  req.parameters = scan.parameters;
  // Only chat and completions answer in server-sent events the gateway reads.
  if (endpoint == Endpoint::kChatCompletions || endpoint == Endpoint::kCompletions) {
    req.stream = scan.stream;
    if (scan.includeUsageKind && *scan.includeUsageKind != Kind::null &&
        *scan.includeUsageKind != Kind::bool_) {
      return typeError("stream_options.include_usage", *scan.includeUsageKind, Want::kBool);
    }
    req.clientWantsUsage = scan.includeUsage;
  }
  req.setUnparsedBody(body, {scan.seen[kStreamOptions].present, scan.seen[kModels].present,
                             scan.seen[kProvider].present, scan.seen[kTransforms].present});
  // A repeated model member is left to the tree: parsers differ on which one counts, and the
  // upstream must not read the client's name where the gateway chose another.
  if (scan.modelSpan && model.count == 1) {
    req.rawBody = body;
    req.modelSpan = *scan.modelSpan;
  }
  if (endpoint == Endpoint::kImageGenerations || endpoint == Endpoint::kAudioSpeech) {
    req.units = unitsOf(endpoint, req.body());
  }
  return req;
}

}  // namespace switchyard
