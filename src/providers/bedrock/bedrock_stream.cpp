#include "providers/bedrock/bedrock_stream.hpp"

#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"

namespace switchyard {

namespace json = boost::json;
using common::badUpstream;
using common::intField;
using common::objectField;
using common::stringField;

BedrockStreamTranslator::BedrockStreamTranslator(std::string model, bool clientWantsUsage)
    : writer_(common::newCompletionId(), common::unixNow(), std::move(model)),
      clientWantsUsage_(clientWantsUsage) {}

Result<void> BedrockStreamTranslator::onBytes(std::string_view bytes, std::string& out,
                                              Usage& usage) {
  return decoder_.feed(bytes, [&](const EventStreamMessage& m) -> Result<void> {
    const std::string_view type = m.header(":message-type");
    if (type == "exception") {
      return bedrock::streamException(m.header(":exception-type"), m.payload);
    }
    if (type == "error") {
      return Error::make(ErrorClass::kUpstreamServer,
                         "Upstream stream failed with " + std::string(m.header(":error-code")) +
                             ": " + std::string(m.header(":error-message")),
                         {}, "upstream_stream_error");
    }
    if (type != "event")
      return badUpstream("The upstream sent an event-stream message of unknown type.");
    return onEvent(m.header(":event-type"), m.payload, out, usage);
  });
}

void BedrockStreamTranslator::ensureRole(std::string& out) {
  if (roleSent_) return;
  roleSent_ = true;
  writer_.delta(out, json::object{{"role", "assistant"}, {"content", ""}});
}

void BedrockStreamTranslator::maybeFinish(std::string& out) {
  if (done_ || finishReason_.empty() || !haveUsage_) return;
  if (clientWantsUsage_) writer_.usage(out, usage_);
  common::ChunkWriter::done(out);
  done_ = true;
}

Result<void> BedrockStreamTranslator::onEvent(std::string_view event, std::string_view data,
                                              std::string& out, Usage& usage) {
  if (done_) return {};
  boost::system::error_code ec;
  json::value root = json::parse(data, ec);
  if (ec || !root.is_object())
    return badUpstream("The upstream sent a stream event that is not JSON.");
  const auto& obj = root.get_object();

  if (event == "messageStart") {
    ensureRole(out);
  } else if (event == "contentBlockStart") {
    const auto* start = objectField(obj, "start");
    const auto* use = start ? objectField(*start, "toolUse") : nullptr;
    if (!use) return {};
    ensureRole(out);
    const int64_t index = static_cast<int64_t>(tools_.size());
    tools_[intField(obj, "contentBlockIndex")] = ToolBlock{index, false};
    json::object call{
        {"index", index},
        {"id", stringField(*use, "toolUseId")},
        {"type", "function"},
        {"function", json::object{{"name", stringField(*use, "name")}, {"arguments", ""}}}};
    writer_.delta(out, json::object{{"tool_calls", json::array{std::move(call)}}});
  } else if (event == "contentBlockDelta") {
    const auto* delta = objectField(obj, "delta");
    if (!delta) return badUpstream("A contentBlockDelta event has no delta.");
    if (const auto* t = delta->if_contains("text"); t && t->is_string()) {
      ensureRole(out);
      if (!t->get_string().empty()) {
        writer_.delta(out, json::object{{"content", t->get_string()}});
      }
    } else if (const auto* use = objectField(*delta, "toolUse")) {
      auto it = tools_.find(intField(obj, "contentBlockIndex"));
      if (it == tools_.end()) return badUpstream("A tool input delta came before its block start.");
      const std::string_view input = stringField(*use, "input");
      if (!input.empty()) {
        it->second.sentArguments = true;
        json::object call{{"index", it->second.index},
                          {"function", json::object{{"arguments", input}}}};
        writer_.delta(out, json::object{{"tool_calls", json::array{std::move(call)}}});
      }
    } else if (const auto* r = objectField(*delta, "reasoningContent")) {
      ensureRole(out);
      if (const auto text = stringField(*r, "text"); !text.empty()) {
        writer_.delta(out, json::object{{"reasoning_content", text}});
      }
    }
  } else if (event == "contentBlockStop") {
    // A tool called without arguments streams no input; clients parse "{}" where "" would fail.
    auto it = tools_.find(intField(obj, "contentBlockIndex"));
    if (it != tools_.end() && !it->second.sentArguments) {
      it->second.sentArguments = true;
      json::object call{{"index", it->second.index},
                        {"function", json::object{{"arguments", "{}"}}}};
      writer_.delta(out, json::object{{"tool_calls", json::array{std::move(call)}}});
    }
  } else if (event == "messageStop") {
    ensureRole(out);
    finishReason_ = std::string(bedrock::finishReason(stringField(obj, "stopReason")));
    writer_.delta(out, json::object{}, finishReason_);
    maybeFinish(out);
  } else if (event == "metadata") {
    if (const auto* u = objectField(obj, "usage")) {
      bedrock::readUsage(*u, usage_);
      usage = usage_;
    }
    haveUsage_ = true;
    maybeFinish(out);
  }
  // Unknown event types carry nothing for the client.
  return {};
}

}  // namespace switchyard
