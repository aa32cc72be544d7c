#pragma once
// Streams from an OpenAI-format upstream to an OpenAI-format client: chunks are forwarded as the
// upstream sent them; only the usage-only chunk is dropped when the client did not ask for it.

#include "providers/adapter.hpp"

namespace switchyard {

class OpenAiStreamPassThrough : public StreamTranslator {
 public:
  explicit OpenAiStreamPassThrough(bool clientWantsUsage) : clientWantsUsage_(clientWantsUsage) {}
  Result<void> onEvent(std::string_view event, std::string_view data, std::string& out,
                       Usage& usage) override;
  bool finished() const override { return done_; }

 private:
  bool clientWantsUsage_;
  bool done_ = false;
};

// Appends one SSE event carrying `data` (which must not contain a blank line).
void appendSseData(std::string& out, std::string_view data);

}  // namespace switchyard
