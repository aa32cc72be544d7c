// Cohere Chat v2 stream events → OpenAI chat.completion.chunk events.

#include "providers/cohere/cohere_adapter.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"

namespace switchyard {

namespace json = boost::json;
using common::badUpstream;
using common::intField;
using common::objectField;
using common::stringField;

CohereStreamTranslator::CohereStreamTranslator(std::string model, bool clientWantsUsage)
    : writer_(common::newCompletionId(), common::unixNow(), std::move(model)),
      clientWantsUsage_(clientWantsUsage) {}

void CohereStreamTranslator::ensureRole(std::string& out) {
  if (roleSent_) return;
  roleSent_ = true;
  writer_.delta(out, json::object{{"role", "assistant"}, {"content", ""}});
}

namespace {

// delta.message of an event, where its payload lives.
const json::object* deltaMessage(const json::object& event) {
  const auto* delta = objectField(event, "delta");
  return delta ? objectField(*delta, "message") : nullptr;
}

}  // namespace

Result<void> CohereStreamTranslator::onEvent(std::string_view, std::string_view data,
                                             std::string& out, Usage& usage) {
  if (done_) return {};
  boost::system::error_code ec;
  json::value root = json::parse(data, ec);
  if (ec || !root.is_object())
    return badUpstream("The upstream sent a stream event that is not JSON.");
  const auto& obj = root.get_object();
  // The payload names its own type; the SSE event line, when present, says the same.
  const std::string_view type = stringField(obj, "type");
  const auto* message = deltaMessage(obj);

  if (type == "message-start") {
    ensureRole(out);
  } else if (type == "content-start" || type == "content-delta") {
    const auto* content = message ? objectField(*message, "content") : nullptr;
    if (!content) {
      return type == "content-delta"
                 ? Result<void>(badUpstream("A content-delta event has no content."))
                 : Result<void>();
    }
    ensureRole(out);
    if (const auto text = stringField(*content, "text"); !text.empty()) {
      writer_.delta(out, json::object{{"content", text}});
    } else if (const auto thinking = stringField(*content, "thinking"); !thinking.empty()) {
      writer_.delta(out, json::object{{"reasoning_content", thinking}});
    }
  } else if (type == "tool-plan-delta") {
    if (const auto plan = message ? stringField(*message, "tool_plan") : std::string_view();
        !plan.empty()) {
      ensureRole(out);
      writer_.delta(out, json::object{{"content", plan}});
    }
  } else if (type == "tool-call-start" || type == "tool-call-delta") {
    const auto* call = message ? objectField(*message, "tool_calls") : nullptr;
    const auto* fn = call ? objectField(*call, "function") : nullptr;
    if (!fn) return badUpstream("A Cohere tool-call event has no function.");
    ensureRole(out);
    json::object delta{{"index", intField(obj, "index")}};
    if (type == "tool-call-start") {
      delta["id"] = stringField(*call, "id");
      delta["type"] = "function";
      delta["function"] = json::object{{"name", stringField(*fn, "name")},
                                       {"arguments", stringField(*fn, "arguments")}};
    } else {
      const auto args = stringField(*fn, "arguments");
      if (args.empty()) return {};
      delta["function"] = json::object{{"arguments", args}};
    }
    writer_.delta(out, json::object{{"tool_calls", json::array{std::move(delta)}}});
  } else if (type == "message-end") {
    const auto* delta = objectField(obj, "delta");
    const std::string_view reason =
        delta ? stringField(*delta, "finish_reason") : std::string_view();
    const std::string_view finish = cohere::finishReason(reason);
    if (finish.empty()) {
      return Error::make(reason == "TIMEOUT" ? ErrorClass::kTimeout : ErrorClass::kUpstreamServer,
                         "Cohere ended the generation with " + std::string(reason) + ".", {},
                         "upstream_error");
    }
    Usage u;
    if (const auto* uo = delta ? objectField(*delta, "usage") : nullptr) cohere::readUsage(*uo, u);
    if (u.present) usage = u;
    ensureRole(out);
    writer_.delta(out, json::object{}, finish);
    if (clientWantsUsage_ && u.present) writer_.usage(out, u);
    common::ChunkWriter::done(out);
    done_ = true;
  }
  // content-end, tool-call-end, citation-* and unknown events carry nothing for the client.
  return {};
}

}  // namespace switchyard
