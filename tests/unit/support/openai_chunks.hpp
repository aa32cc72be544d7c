#pragma once
// A provider's stream decoder with the OpenAI chat encoder behind it: upstream bytes in, the
// chat.completion.chunk text an OpenAI client would read out, usage recorded. The provider tests
// check decoders through what a client sees.

#include <string>
#include <string_view>
#include <utility>

#include "api/openai/chat_stream_encoder.hpp"
#include "providers/adapter.hpp"

namespace switchyard::testing {

// Notes the latest usage on its way to `next`, as the gateway records it.
struct UsageTap final : EventSink {
  UsageTap(Usage& u, EventSink& n) : usage(u), next(n) {}
  void onEvent(const StreamEvent& e) override {
    if (e.kind == StreamEvent::Kind::kUsage) usage = *e.usage;
    next.onEvent(e);
  }
  Usage& usage;
  EventSink& next;
};

template <class Decoder>
class OpenAiChunks {
 public:
  template <class... Args>
  explicit OpenAiChunks(bool clientWantsUsage, Args&&... args)
      : decoder_(std::forward<Args>(args)...), encoder_(clientWantsUsage) {}

  Result<void> onBytes(std::string_view bytes, std::string& out, Usage& usage) {
    UsageTap tap{usage, encoder_};
    auto r = decoder_.onBytes(bytes, tap);
    drain(out);
    return r;
  }
  Result<void> onEvent(std::string_view event, std::string_view data, std::string& out,
                       Usage& usage) {
    UsageTap tap{usage, encoder_};
    auto r = decoder_.onEvent(event, data, tap);
    drain(out);
    return r;
  }
  // The upstream closed the stream (what the attempt loop does before judging completeness).
  void onUpstreamEnd(std::string& out, Usage& usage) {
    UsageTap tap{usage, encoder_};
    decoder_.onUpstreamEnd(tap);
    drain(out);
  }
  bool finished() const { return decoder_.finished(); }

 private:
  void drain(std::string& out) {
    out += encoder_.output();
    encoder_.output().clear();
  }

  Decoder decoder_;
  OpenAiChatStreamEncoder encoder_;
};

}  // namespace switchyard::testing
