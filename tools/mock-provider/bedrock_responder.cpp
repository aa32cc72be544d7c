#include "tools/mock-provider/bedrock_responder.hpp"

#include "tools/mock-provider/chat_responder.hpp"
#include "tools/mock-provider/embeddings.hpp"

#include <boost/json/serialize.hpp>

#include <array>
#include <optional>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr size_t kEmbeddingDimensions = 16;

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

const json::object* obj(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

const json::array* arr(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr ? v->if_array() : nullptr;
}

Reply awsError(unsigned status, std::string_view message) {
  return Reply{status, R"({"message":)" + jsonQuote(message) + "}", 0};
}

uint32_t crc32(std::string_view data) {
  static const auto kTable = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) crc = kTable[(crc ^ c) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void be32(std::string& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(char((v >> s) & 0xFF));
}

// Bedrock pads event payloads with a "p" field of varying length against traffic analysis.
std::string eventFrame(std::string_view type, json::object payload) {
  payload["p"] = std::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ").substr(0, 4 + type.size());
  return eventStreamFrame({{":event-type", std::string(type)},
                           {":content-type", "application/json"},
                           {":message-type", "event"}},
                          json::serialize(payload));
}

bool signedRequest(const boost::beast::http::fields& headers) {
  auto it = headers.find(boost::beast::http::field::authorization);
  if (it != headers.end() && it->value().starts_with("Bearer ") && it->value().size() > 7) {
    return true;
  }
  return sigV4Signed(headers, "bedrock");
}

size_t blockChars(const json::array& blocks) {
  size_t n = 0;
  for (const auto& b : blocks) {
    if (const auto* o = b.if_object()) {
      n += str(*o, "text").size();
      if (const auto* result = obj(*o, "toolResult")) {
        if (const auto* content = arr(*result, "content")) n += blockChars(*content);
      }
    }
  }
  return n;
}

struct ToolUse {
  std::string name;
  json::value input;
};

// The tool to call: the forced one, else the first; none once the last turn is a tool result.
std::optional<ToolUse> chooseTool(const json::object& body) {
  const auto* config = obj(body, "toolConfig");
  const auto* tools = config ? arr(*config, "tools") : nullptr;
  if (tools == nullptr || tools->empty()) return std::nullopt;
  if (const auto* messages = arr(body, "messages"); messages && !messages->empty()) {
    const auto* last = messages->back().if_object();
    const auto* content = last ? arr(*last, "content") : nullptr;
    if (content) {
      for (const auto& b : *content) {
        if (b.is_object() && b.get_object().contains("toolResult")) return std::nullopt;
      }
    }
  }
  std::string_view forced;
  if (const auto* choice = obj(*config, "toolChoice")) {
    if (const auto* tool = obj(*choice, "tool")) forced = str(*tool, "name");
  }
  for (const auto& t : *tools) {
    const auto* spec = t.is_object() ? obj(t.get_object(), "toolSpec") : nullptr;
    if (spec == nullptr || (!forced.empty() && str(*spec, "name") != forced)) continue;
    ToolUse use{std::string(str(*spec, "name")), json::object()};
    if (const auto* schema = obj(*spec, "inputSchema")) {
      if (const auto* j = schema->if_contains("json")) use.input = valueForSchema(*j);
    }
    if (!use.input.is_object()) use.input = json::object();
    return use;
  }
  return std::nullopt;
}

Answer converse(bool stream, const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  const auto* messages = arr(body, "messages");
  if (messages == nullptr || messages->empty()) {
    answer.reply =
        awsError(400, "The model returned the following errors: messages: field required");
    return answer;
  }
  size_t chars = 0;
  for (const auto& m : *messages) {
    if (const auto* content = m.is_object() ? arr(m.get_object(), "content") : nullptr) {
      chars += blockChars(*content);
    }
  }
  if (const auto* system = arr(body, "system")) chars += blockChars(*system);
  const int64_t input = approxTokens(chars);
  int64_t limit = -1;
  if (const auto* inference = obj(body, "inferenceConfig")) {
    if (const auto* m = inference->if_contains("maxTokens"); m && m->is_int64())
      limit = m->get_int64();
  }
  const auto tool = chooseTool(body);
  bool truncated = false;
  const auto tokens = tool ? std::vector<std::string>{} : answerTokens(ctx, limit, truncated);
  const std::string toolId = "tooluse_" + ctx.id.substr(0, 22);
  const std::string args = tool ? json::serialize(tool->input) : std::string();
  const int64_t output = tool ? approxTokens(args.size()) : int64_t(tokens.size());
  const std::string stopReason = tool ? "tool_use" : truncated ? "max_tokens" : "end_turn";
  json::object usage{{"inputTokens", input},
                     {"outputTokens", output},
                     {"totalTokens", input + output},
                     {"cacheReadInputTokens", 0},
                     {"cacheWriteInputTokens", 0}};

  if (!stream) {
    json::array content;
    if (tool) {
      content.emplace_back(json::object{
          {"toolUse",
           json::object{{"toolUseId", toolId}, {"name", tool->name}, {"input", tool->input}}}});
    } else {
      std::string text;
      for (const auto& t : tokens) text += t;
      content.emplace_back(json::object{{"text", text}});
    }
    json::object out{
        {"metrics", json::object{{"latencyMs", 1}}},
        {"output", json::object{{"message", json::object{{"role", "assistant"},
                                                         {"content", std::move(content)}}}}},
        {"stopReason", stopReason},
        {"usage", std::move(usage)}};
    answer.reply = Reply{200, json::serialize(out), 0};
    return answer;
  }

  answer.stream = true;
  StreamPlan& plan = answer.plan;
  plan.contentType = "application/vnd.amazon.eventstream";
  plan.head = eventFrame("messageStart", json::object{{"role", "assistant"}});
  if (tool) {
    plan.head += eventFrame(
        "contentBlockStart",
        json::object{{"contentBlockIndex", 0},
                     {"start", json::object{{"toolUse", json::object{{"toolUseId", toolId},
                                                                     {"name", tool->name}}}}}});
    // Arguments arrive in a few fragments, as Bedrock streams them.
    for (size_t i = 0; i < args.size(); i += 8) {
      plan.content.push_back(eventFrame(
          "contentBlockDelta",
          json::object{
              {"contentBlockIndex", 0},
              {"delta", json::object{{"toolUse", json::object{{"input", args.substr(i, 8)}}}}}}));
    }
  } else {
    for (const auto& t : tokens) {
      plan.content.push_back(
          eventFrame("contentBlockDelta",
                     json::object{{"contentBlockIndex", 0}, {"delta", json::object{{"text", t}}}}));
    }
  }
  plan.tail = eventFrame("contentBlockStop", json::object{{"contentBlockIndex", 0}});
  plan.tail += eventFrame("messageStop", json::object{{"stopReason", stopReason}});
  plan.tail += eventFrame("metadata", json::object{{"usage", std::move(usage)},
                                                   {"metrics", json::object{{"latencyMs", 1}}}});
  return answer;
}

Reply invoke(std::string_view modelId, const json::object& body) {
  if (modelId.find("titan-embed") != std::string_view::npos) {
    const std::string_view text = str(body, "inputText");
    if (text.empty()) return awsError(400, "Malformed input request: inputText is required");
    size_t dims = kEmbeddingDimensions;
    if (const auto* d = body.if_contains("dimensions");
        d && d->is_int64() && d->get_int64() > 0 && d->get_int64() <= 1024) {
      dims = size_t(d->get_int64());
    }
    json::array values;
    for (float x : embeddingFor(text, dims)) values.emplace_back(double(x));
    json::object out{{"embedding", std::move(values)},
                     {"inputTextTokenCount", approxTokens(text.size())}};
    return Reply{200, json::serialize(out), 0};
  }
  if (modelId.find("cohere.embed") != std::string_view::npos) {
    const auto* texts = arr(body, "texts");
    if (texts == nullptr || texts->empty() || str(body, "input_type").empty()) {
      return awsError(400, "Malformed input request: texts and input_type are required");
    }
    json::array embeddings;
    for (const auto& t : *texts) {
      json::array values;
      for (float x : embeddingFor(t.is_string() ? std::string_view(t.get_string()) : "",
                                  kEmbeddingDimensions)) {
        values.emplace_back(double(x));
      }
      embeddings.emplace_back(std::move(values));
    }
    json::object out{{"embeddings", std::move(embeddings)},
                     {"id", "mock-embed"},
                     {"response_type", "embeddings_floats"},
                     {"texts", *texts}};
    return Reply{200, json::serialize(out), 0};
  }
  return awsError(400, "The provided model identifier is invalid.");
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool sigV4Signed(const boost::beast::http::fields& headers, std::string_view service) {
  auto it = headers.find(boost::beast::http::field::authorization);
  if (it == headers.end()) return false;
  std::string_view auth = it->value();
  return auth.starts_with("AWS4-HMAC-SHA256 Credential=") &&
         auth.find("/" + std::string(service) + "/aws4_request, SignedHeaders=") !=
             std::string_view::npos &&
         auth.find(", Signature=") != std::string_view::npos &&
         headers.find("x-amz-date") != headers.end() &&
         headers.find("x-amz-content-sha256") != headers.end();
}

std::string eventStreamFrame(const std::vector<std::pair<std::string, std::string>>& headers,
                             std::string_view payload) {
  std::string h;
  for (const auto& [name, value] : headers) {
    h.push_back(char(name.size()));
    h += name;
    h.push_back(7);
    h.push_back(char((value.size() >> 8) & 0xFF));
    h.push_back(char(value.size() & 0xFF));
    h += value;
  }
  std::string out;
  be32(out, uint32_t(16 + h.size() + payload.size()));
  be32(out, uint32_t(h.size()));
  be32(out, crc32(out));
  out += h;
  out.append(payload);
  be32(out, crc32(out));
  return out;
}

bool parseBedrockPath(std::string_view path, std::string& modelId, std::string& action) {
  if (!path.starts_with("/model/")) return false;
  path.remove_prefix(7);
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  action = std::string(path.substr(slash + 1));
  modelId.clear();
  const std::string_view encoded = path.substr(0, slash);
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size() && hexValue(encoded[i + 1]) >= 0 &&
        hexValue(encoded[i + 2]) >= 0) {
      modelId.push_back(char(hexValue(encoded[i + 1]) * 16 + hexValue(encoded[i + 2])));
      i += 2;
    } else {
      modelId.push_back(encoded[i]);
    }
  }
  return action == "converse" || action == "converse-stream" || action == "invoke";
}

Answer answerBedrock(std::string_view modelId, std::string_view action,
                     const boost::beast::http::fields& headers, const json::object& body,
                     const AnswerContext& ctx) {
  if (!signedRequest(headers)) {
    Answer denied;
    denied.reply = awsError(403,
                            "Authorization header requires 'Credential', 'Signature' and "
                            "'SignedHeaders' parameters (SigV4).");
    return denied;
  }
  if (action == "invoke") {
    Answer answer;
    answer.reply = invoke(modelId, body);
    return answer;
  }
  return converse(action == "converse-stream", body, ctx);
}

}  // namespace switchyard::mock
