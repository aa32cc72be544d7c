#pragma once
// Events → the Responses API's output: message, function_call and reasoning items, usage, status,
// and (streamed) the documented event sequence with a monotonic sequence_number:
//   response.created, response.in_progress,
//   per item: response.output_item.added, [response.content_part.added |
//     response.reasoning_summary_part.added], deltas (response.output_text.delta,
//     response.refusal.delta, response.function_call_arguments.delta,
//     response.reasoning_summary_text.delta), their .done events, [response.content_part.done |
//     response.reasoning_summary_part.done], response.output_item.done,
//   response.completed | response.incomplete (finish reason length / content_filter) |
//     error + response.failed (the answer broke after it began).
// One assembler serves the stream encoder (events written to `out`) and the whole-answer encoder
// (no `out`); both end with the same Response object. Only choice 0 is encoded (no n > 1).

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/events/stream_event.hpp"
#include "api/request.hpp"

namespace switchyard {

class ResponsesAssembler {
 public:
  explicit ResponsesAssembler(const ApiRequest& req);
  // `out`: where the stream's events go; nullptr for a whole answer.
  void onEvent(const StreamEvent& e, std::string* out);
  // The answer broke after it began: error and response.failed events (once).
  void fail(const Error& e, std::string* out);
  bool ended() const { return ended_; }
  const std::string& id() const { return id_; }
  // The Response object as it stands ("in_progress" until the end).
  boost::json::object response() const;
  // The output items so far.
  boost::json::array outputItems() const;

 private:
  enum class ItemType : uint8_t { kMessage, kRefusal, kFunctionCall, kReasoning };
  struct Item {
    ItemType type = ItemType::kMessage;
    std::string id;
    std::string text;  // message text, refusal, arguments or reasoning summary
    std::string callId;
    std::string name;
    bool done = false;
  };

  void start(std::string* out);
  size_t open(ItemType type, std::string* out, std::string_view callId = {},
              std::string_view name = {});
  void close(std::string* out);
  void finish(std::string* out);
  void delta(const Item& item, size_t index, std::string_view type, std::string_view text,
             std::string& out);
  void emit(std::string& out, std::string_view type, boost::json::object event);
  boost::json::object itemJson(const Item& item) const;
  std::string_view status() const;

  const ApiRequest& req_;
  std::string id_;
  int64_t createdAt_ = 0;
  int64_t sequence_ = 0;
  bool started_ = false;
  bool ended_ = false;
  std::vector<Item> items_;
  size_t open_ = SIZE_MAX;               // index of the open item
  std::map<int32_t, size_t> toolItems_;  // tool call index → its item
  std::string finishReason_;
  Usage usage_;
  std::optional<Error> failure_;
};

}  // namespace switchyard
