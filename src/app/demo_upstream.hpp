#pragma once
// The upstream of the no-key demo mode: tools/mock-provider, started as a process of its own
// from the binary installed beside switchyard's (build/mock-provider), listening on an ephemeral
// loopback port. The gateway does not link the mock: it only starts it, stops it with itself,
// and has the kernel end it should the gateway die first.

#include <sys/types.h>

#include <cstdint>

#include "core/error.hpp"

namespace switchyard {

class DemoUpstream {
 public:
  DemoUpstream() = default;
  ~DemoUpstream();  // stops the process, when one was started
  DemoUpstream(const DemoUpstream&) = delete;
  DemoUpstream& operator=(const DemoUpstream&) = delete;

  // Starts the mock and waits for it to say where it listens: its port, or why it could not.
  Result<uint16_t> start();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int output_ = -1;  // the read end of its stdout, open while it runs so that its writes succeed
};

}  // namespace switchyard
