#include "api/events/recorded_answer.hpp"

namespace switchyard {

void RecordedAnswer::onEvent(const StreamEvent& e) {
  using Kind = StreamEvent::Kind;
  if (e.kind == Kind::kError) {
    // The answer failed: nothing of it should be replayed as if it had not.
    failed_ = true;
    complete_ = false;
    return;
  }
  Recorded r{};
  r.kind = e.kind;
  r.choice = e.choice;
  r.index = e.index;
  r.created = e.created;
  r.text = keep(e.text);
  r.textSize = e.text.size();
  r.id = keep(e.id);
  r.idSize = e.id.size();
  r.name = keep(e.name);
  r.nameSize = e.name.size();
  r.stop = keep(e.matchedStop);
  r.stopSize = e.matchedStop.size();
  if (e.kind == Kind::kUsage) {
    r.usage = usages_.size();
    usages_.push_back(*e.usage);
  }
  events_.push_back(r);
  if (e.kind == Kind::kEnd) complete_ = !failed_;
}

void RecordedAnswer::replay(EventSink& sink) const {
  const std::string_view text = text_;
  for (const Recorded& r : events_) {
    StreamEvent e;
    e.kind = r.kind;
    e.choice = r.choice;
    e.index = r.index;
    e.created = r.created;
    e.text = text.substr(r.text, r.textSize);
    e.id = text.substr(r.id, r.idSize);
    e.name = text.substr(r.name, r.nameSize);
    e.matchedStop = text.substr(r.stop, r.stopSize);
    if (r.kind == StreamEvent::Kind::kUsage) e.usage = &usages_[r.usage];
    sink.onEvent(e);
  }
}

}  // namespace switchyard
