#include "providers/openai/responses_native.hpp"

#include <boost/json/serialize.hpp>

#include "api/sse_write.hpp"
#include "core/json_escape.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/scratch_json.hpp"
#include "providers/common/sse_events.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard {

namespace json = boost::json;

bool speaksResponses(const Deployment& d) {
  if (d.provider == "openai" || d.provider == "azure") return true;
  const auto* endpoints = d.modelInfo.if_contains("supported_endpoints");
  if (!endpoints || !endpoints->is_array()) return false;
  for (const auto& e : endpoints->get_array()) {
    if (e.is_string() && (e.get_string() == "/v1/responses" || e.get_string() == "/responses")) {
      return true;
    }
  }
  return false;
}

namespace {

Error badEvent() {
  return Error::make(ErrorClass::kBadUpstream, "The upstream sent a stream event that is not JSON.",
                     {}, "bad_upstream_response");
}

// The event's type: its `event:` field, else the data's leading "type" member (OpenAI writes it
// first), else the parsed data's.
std::string typeOf(std::string_view event, std::string_view data) {
  if (!event.empty()) return std::string(event);
  constexpr std::string_view kLead = "{\"type\":\"";
  if (data.starts_with(kLead)) {
    const size_t end = data.find('"', kLead.size());
    if (end != std::string_view::npos)
      return std::string(data.substr(kLead.size(), end - kLead.size()));
  }
  common::ScratchJson<> parsed;
  const auto* obj = parsed.parseObject(data);
  return obj ? std::string(common::stringField(*obj, "type")) : std::string();
}

bool terminal(std::string_view type) {
  return type == "response.completed" || type == "response.incomplete" || type == "response.failed";
}

}  // namespace

Result<void> ResponsesStreamPassThrough::onBytes(std::string_view bytes, std::string& out,
                                                 Usage& usage) {
  return common::feedEvents(
      sse_, bytes, [&](const SseEvent& e) { return onEvent(e.event, e.data, out, usage); });
}

Result<void> ResponsesStreamPassThrough::onEvent(std::string_view event, std::string_view data,
                                                 std::string& out, Usage& usage) {
  if (done_) return {};
  if (data.empty() || data.front() != '{' || data.back() != '}') return badEvent();
  const std::string type = typeOf(event, data);
  if (type.empty()) return badEvent();
  if (type == "error") {
    // Before the answer went out it is retried elsewhere; after, fail() reports it.
    common::ScratchJson<> parsed;
    const auto* obj = parsed.parseObject(data);
    std::string message = "The upstream reported an error inside the stream.";
    std::string code;
    if (obj) {
      if (auto m = common::stringField(*obj, "message"); !m.empty()) message = m;
      code = common::stringField(*obj, "code");
    }
    return Error::make(ErrorClass::kUpstreamServer, std::move(message), {}, std::move(code));
  }
  if (terminal(type)) {
    scanOpenAiUsage(data, usage);
    done_ = true;
  }
  if (watching_ && !sawContent_) {
    sawContent_ = type.ends_with(".delta") || type == "response.output_item.done" || done_;
  }
  appendSseEvent(out, type, data);
  ++forwarded_;
  return {};
}

void ResponsesStreamPassThrough::fail(const Error& e, std::string& out) {
  if (done_) return;
  done_ = true;
  std::string data =
      R"({"type":"error","sequence_number":)" + std::to_string(forwarded_) + R"(,"code":)";
  appendJsonString(data, e.code.empty() ? std::string_view("server_error") : e.code);
  data += R"(,"message":)";
  appendJsonString(data, e.message);
  data += R"(,"param":null})";
  appendSseEvent(out, "error", data);
}

}  // namespace switchyard
