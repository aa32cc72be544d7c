#pragma once
// An answer kept as events, with its own copies of their strings, to be replayed later into any
// sink: a client format's stream or whole-answer encoder (a cache hit answers in the format the
// client speaks now, whichever format filled it), or a stage's filter.

#include <string>
#include <vector>

#include "api/events/stream_event.hpp"

namespace switchyard {

class RecordedAnswer final : public EventSink {
 public:
  void onEvent(const StreamEvent& e) override;
  // Sends the recorded events, in order, to `sink`.
  void replay(EventSink& sink) const;
  // Whether the answer ended well (kEnd, no kError): only such an answer is worth keeping.
  bool complete() const { return complete_; }
  // Bytes held, for a store bounded in bytes.
  size_t bytes() const { return text_.size() + events_.size() * sizeof(Recorded); }

 private:
  // An event whose strings are offsets into text_, which may grow while recording.
  struct Recorded {
    StreamEvent::Kind kind;
    int32_t choice;
    int32_t index;
    int64_t created;
    size_t text, textSize, id, idSize, name, nameSize, stop, stopSize;
    size_t usage;  // position in usages_ (kUsage)
  };
  size_t keep(std::string_view s) {
    const size_t at = text_.size();
    text_.append(s);
    return at;
  }

  std::vector<Recorded> events_;
  std::vector<Usage> usages_;
  std::string text_;
  bool complete_ = false;
  bool failed_ = false;
};

}  // namespace switchyard
