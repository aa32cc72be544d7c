#include "api/openai/parse_request.hpp"
#include "api/json_kind.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace switchyard {
namespace {

namespace json = boost::json;

enum class Want { kString, kNumber, kInteger, kBool, kArray, kObject, kStringOrArray, kAny };

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
    case Want::kAny:
      return "a value";
  }
  return "a value";
}

bool matches(const json::value& v, Want w) {
  switch (w) {
    case Want::kString:
      return v.is_string();
    case Want::kNumber:
      return v.is_number();
    case Want::kInteger:
      return v.is_int64() || v.is_uint64() ||
             (v.is_double() &&
              v.get_double() == static_cast<double>(static_cast<int64_t>(v.get_double())));
    case Want::kBool:
      return v.is_bool();
    case Want::kArray:
      return v.is_array();
    case Want::kObject:
      return v.is_object();
    case Want::kStringOrArray:
      return v.is_string() || v.is_array();
    case Want::kAny:
      return true;
  }
  return false;
}

Error typeError(std::string_view field, const json::value& v, Want w) {
  return Error::make(ErrorClass::kBadRequest,
                     "Invalid type for '" + std::string(field) + "': expected " +
                         std::string(wantName(w)) + ", but got " + std::string(jsonKindName(v)) +
                         " instead.",
                     std::string(field), "invalid_type");
}

Error missing(std::string_view field) {
  return Error::make(ErrorClass::kBadRequest,
                     "Missing required parameter: '" + std::string(field) + "'.",
                     std::string(field), "missing_required_parameter");
}

struct FieldRule {
  std::string_view name;
  Want want;
};

// Optional fields whose type the gateway checks; null is accepted for all of them, as OpenAI does.
constexpr FieldRule kCommonRules[] = {
    {"stream", Want::kBool},
    {"stream_options", Want::kObject},
    {"temperature", Want::kNumber},
    {"top_p", Want::kNumber},
    {"n", Want::kInteger},
    {"max_tokens", Want::kInteger},
    {"max_completion_tokens", Want::kInteger},
    {"presence_penalty", Want::kNumber},
    {"frequency_penalty", Want::kNumber},
    {"seed", Want::kInteger},
    {"user", Want::kString},
    {"tools", Want::kArray},
    {"stop", Want::kStringOrArray},
    {"metadata", Want::kObject},
    {"response_format", Want::kObject},
    {"logit_bias", Want::kObject},
};

const FieldRule* commonRule(std::string_view key) {
  for (const auto& rule : kCommonRules) {
    if (rule.name.size() == key.size() && rule.name == key) return &rule;
  }
  return nullptr;
}

// One pass over the body's members, rather than one lookup per rule: most rules name members
// that a request does not have, and each lookup hashes its key.
Result<void> checkCommon(const json::object& body) {
  for (const auto& member : body) {
    const FieldRule* rule = commonRule(member.key());
    const json::value& v = member.value();
    if (rule && !v.is_null() && !matches(v, rule->want))
      return typeError(rule->name, v, rule->want);
  }
  return {};
}

Result<void> checkMessages(const json::object& body) {
  const auto* messages = body.if_contains("messages");
  if (!messages) return missing("messages");
  if (!messages->is_array()) return typeError("messages", *messages, Want::kArray);
  if (messages->get_array().empty()) {
    return Error::make(ErrorClass::kBadRequest,
                       "Invalid 'messages': empty array. Expected an array with minimum length 1.",
                       "messages", "empty_array");
  }
  size_t i = 0;
  // The path is spelled out only for an error: a conversation may hold thousands of messages.
  auto path = [&i] { return "messages[" + std::to_string(i) + "]"; };
  for (const auto& m : messages->get_array()) {
    if (!m.is_object()) return typeError(path(), m, Want::kObject);
    const auto* role = m.get_object().if_contains("role");
    if (!role) return missing(path() + ".role");
    if (!role->is_string()) return typeError(path() + ".role", *role, Want::kString);
    ++i;
  }
  return {};
}

Result<void> checkRequired(const json::object& body, std::string_view field, Want want) {
  const auto* v = body.if_contains(field);
  if (!v) return missing(field);
  if (!matches(*v, want)) return typeError(field, *v, want);
  if (v->is_array() && v->get_array().empty()) {
    return Error::make(ErrorClass::kBadRequest,
                       "Invalid '" + std::string(field) + "': empty array.", std::string(field),
                       "empty_array");
  }
  return {};
}

}  // namespace

Result<ApiRequest> parseOpenAiRequest(Endpoint endpoint, std::string_view body,
                                      json::storage_ptr storage) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 64;
  json::value root = json::parse(body, ec, storage, options);
  if (ec) {
    return Error::make(ErrorClass::kBadRequest,
                       "We could not parse the JSON body of your request. (" + ec.message() + ")",
                       {}, "invalid_json");
  }
  if (!root.is_object()) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_json");
  }
  ApiRequest req(storage);
  req.endpoint = endpoint;
  req.body = std::move(root.get_object());  // same storage: moved, not copied

  const auto* model = req.body.if_contains("model");
  if (!model) return missing("model");
  if (!model->is_string()) return typeError("model", *model, Want::kString);
  if (model->get_string().empty()) {
    return Error::make(ErrorClass::kBadRequest, "'model' must not be empty.", "model",
                       "invalid_value");
  }
  req.model = model->get_string();

  if (auto r = checkCommon(req.body); !r) return r.error();
  switch (endpoint) {
    case Endpoint::kChatCompletions:
      if (auto r = checkMessages(req.body); !r) return r.error();
      break;
    case Endpoint::kCompletions:
      if (auto r = checkRequired(req.body, "prompt", Want::kStringOrArray); !r) return r.error();
      break;
    case Endpoint::kEmbeddings:
      if (auto r = checkRequired(req.body, "input", Want::kStringOrArray); !r) return r.error();
      break;
  }

  if (endpoint != Endpoint::kEmbeddings) {
    if (const auto* s = req.body.if_contains("stream"); s && s->is_bool())
      req.stream = s->get_bool();
    if (const auto* so = req.body.if_contains("stream_options"); so && so->is_object()) {
      const auto* inc = so->get_object().if_contains("include_usage");
      if (inc && !inc->is_null() && !inc->is_bool()) {
        return typeError("stream_options.include_usage", *inc, Want::kBool);
      }
      req.clientWantsUsage = inc && inc->is_bool() && inc->get_bool();
    }
  }
  return req;
}

}  // namespace switchyard
