#pragma once
// Watches the client connection while an attempt runs and aborts the upstream exchange when the
// client closes it, so nobody pays for tokens that no one will read.

#include <memory>

#include "client/upstream_exchange.hpp"
#include "core/deadline.hpp"
#include "server/worker.hpp"

namespace switchyard {

namespace asio = boost::asio;

// Watches the client connection while an attempt runs and aborts the upstream exchange when the
// client closes it, so nobody pays for tokens that no one will read. The watch is a one-byte peek
// with a plain callback, armed by the worker's sweep once the attempt has run for a tick or two:
// the many requests that are over sooner cost nothing to watch, and the rest are the ones where a
// client can leave (an LLM answer takes seconds).
class ClientWatch : private SweepAlarm {
 public:
  ClientWatch(TcpSocket& client, UpstreamExchange& exchange, bool& clientGone,
              DeadlineSweeper& sweeper)
      : socket_(client), exchange_(exchange), clientGone_(clientGone) {
    set(sweeper);
  }
  ~ClientWatch() {
    if (!state_) return;
    // The cancelled peek completes later; `active` tells its handler that nothing it points to
    // may still exist.
    state_->active = false;
    boost::system::error_code ec;
    socket_.cancel(ec);
  }
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  // A hedge joined the race: the client leaving aborts its exchange too.
  void alsoAbort(UpstreamExchange& exchange) {
    hedge_ = &exchange;
    if (state_) state_->hedge = &exchange;
  }

 private:
  struct State {
    State(UpstreamExchange* e, bool* g) : exchange(e), clientGone(g) {}
    UpstreamExchange* exchange;
    bool* clientGone;
    UpstreamExchange* hedge = nullptr;
    bool active = true;
    char byte = 0;  // the peeked byte's landing place; it stays in the socket
  };

  void ring() override {
    state_ = std::make_shared<State>(&exchange_, &clientGone_);
    state_->hedge = hedge_;
    auto* state = state_.get();
    socket_.async_receive(asio::buffer(&state->byte, 1), asio::socket_base::message_peek,
                          [state = state_](const boost::system::error_code& ec, size_t n) {
                            if (!state->active || ec == asio::error::operation_aborted) return;
                            if (!ec && n > 0) return;  // an early next request: still there
                            *state->clientGone = true;
                            state->exchange->abort();
                            if (state->hedge != nullptr) state->hedge->abort();
                          });
  }

  TcpSocket& socket_;
  UpstreamExchange& exchange_;
  bool& clientGone_;
  UpstreamExchange* hedge_ = nullptr;
  std::shared_ptr<State> state_;  // once armed
};

}  // namespace switchyard
