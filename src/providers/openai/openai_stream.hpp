#pragma once
// Streams from an OpenAI-format upstream: forwarded as bytes to an OpenAI-format client (the fast
// path), or decoded into canonical events for any other client format or a stage that watches.

#include <string>
#include <vector>

#include "providers/adapter.hpp"
#include "providers/openai/openai_chunk_scan.hpp"

namespace switchyard {

// Chunks are forwarded as the upstream sent them; only the usage-only chunk is dropped when the
// client did not ask for it, and tool-call deltas without an index (Mistral's) get one, which
// OpenAI clients need to assemble a call.
class OpenAiStreamPassThrough final : public StreamPassThrough {
 public:
  explicit OpenAiStreamPassThrough(bool clientWantsUsage) : clientWantsUsage_(clientWantsUsage) {}
  Result<void> onBytes(std::string_view bytes, std::string& out, Usage& usage) override;
  bool finished() const override { return done_; }
  void watchForContent() override { watching_ = true; }
  bool sawContent() const override { return sawContent_; }
  void fail(const Error& e, std::string& out) override;

 private:
  Result<void> onData(std::string_view data, std::string& out, Usage& usage);
  // Adds the missing tool-call indexes to a chunk; true when it had to.
  bool addToolIndexes(boost::json::object& chunk);

  SseParser sse_;
  int64_t lastToolIndex_ = -1;
  std::string lastToolId_;
  bool clientWantsUsage_;
  bool done_ = false;
  bool watching_ = false;
  bool sawContent_ = false;
};

// chat.completion.chunk events → canonical events.
class OpenAiStreamDecoder final : public StreamDecoder {
 public:
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return done_; }

 private:
  struct ToolCall {
    int32_t choice = 0;
    int32_t index = 0;
    std::string id;
    bool announced = false;  // kToolCall sent (once its name is known)
    std::string pending;     // arguments that came before the name
  };
  Result<void> onChunk(const boost::json::object& chunk, EventSink& sink);
  void onScanned(EventSink& sink);
  Result<void> toolDelta(int32_t choice, const boost::json::value& call, EventSink& sink);
  void announcePending(EventSink& sink);

  bool started_ = false;
  bool done_ = false;
  Usage usage_;
  std::vector<ToolCall> tools_;
  int32_t lastTool_ = -1;  // position in tools_ of the call the last delta was about
  ChunkScan scan_;
};

}  // namespace switchyard
