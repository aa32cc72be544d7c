#pragma once
// A client format's side of a stream: events in, the bytes that client reads out.

#include <memory>
#include <string>

#include "api/events/stream_event.hpp"
#include "api/request.hpp"

namespace switchyard {

class StreamEncoder : public EventSink {
 public:
  // What is ready to send; the caller sends it and clears it.
  std::string& output() { return out_; }
  // The stream failed after it began: the client format's in-stream error, which ends it.
  virtual void fail(const Error& e) = 0;

 protected:
  std::string out_;
};

// The encoder for the format the client spoke (OpenAI chat chunks, Anthropic Messages events).
std::unique_ptr<StreamEncoder> makeStreamEncoder(const ApiRequest& req);

}  // namespace switchyard
