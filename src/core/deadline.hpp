#pragma once
// Coarse timeouts for sockets, one sweep per worker. Setting a Deadline is a store; a periodic
// sweep cancels the pending I/O of every socket whose deadline has passed, and the operation
// then completes with operation_aborted while expired() says why. An Asio timer per operation
// (what Beast's tcp_stream arms for each read and write) costs a timer-queue insert and cancel
// every time, a large share of a proxied request's own work; the gateway's timeouts are seconds
// long, so a sweep every 100 ms is precise enough.
//
// The sweep runs only while some deadline is armed, so an io_context with nothing else to do
// still returns from run() (tests rely on that). Everything here runs on one thread.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>

#include "core/async.hpp"
#include "core/coarse_clock.hpp"

namespace switchyard {

using AutoUnlinkHook =
    boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;

class DeadlineSweeper;

// Work for the sweep that is not a timeout: something to do only if a request is still going on
// a tick or two from now (watching for a client that left, say). Most requests are over by then,
// and for them an alarm costs two list operations where an Asio timer or an I/O operation per
// request would cost system calls. The hook unlinks itself when the alarm is destroyed.
class SweepAlarm : public AutoUnlinkHook {
 public:
  SweepAlarm() = default;
  SweepAlarm(const SweepAlarm&) = delete;
  SweepAlarm& operator=(const SweepAlarm&) = delete;

  // Rings at the second sweep from now: between one and two ticks later.
  inline void set(DeadlineSweeper& sweeper);

 protected:
  ~SweepAlarm() = default;
  virtual void ring() = 0;

 private:
  friend class DeadlineSweeper;
  uint64_t sweep_ = 0;  // the sweep that rings it
};

class Deadline : public AutoUnlinkHook {
 public:
  using Clock = CoarseClock;

  Deadline(DeadlineSweeper& sweeper, TcpSocket& socket);
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  inline void expiresAfter(Clock::duration d);
  void expiresNever() { at_ = Clock::time_point::max(); }
  // True when the sweep cancelled the socket's I/O since the deadline was last set.
  bool expired() const { return expired_; }

  // For reads that are awaited without a coroutine around them, which cannot check first: past
  // the deadline the read gets no room (an empty read completes at once), and a read that ended
  // in an error or with nothing once the deadline passed timed out.
  boost::asio::mutable_buffer readRoom(boost::asio::mutable_buffer room) const {
    return expired_ ? boost::asio::mutable_buffer() : room;
  }
  bool readTimedOut(const boost::system::error_code& ec, size_t n) const {
    return expired_ && (ec || n == 0);
  }

 private:
  friend class DeadlineSweeper;
  DeadlineSweeper* sweeper_;
  TcpSocket* socket_;
  Clock::time_point at_ = Clock::time_point::max();
  bool expired_ = false;
};

class DeadlineSweeper {
 public:
  explicit DeadlineSweeper(const Executor& ex,
                           std::chrono::milliseconds tick = std::chrono::milliseconds(100))
      : timer_(ex), tick_(tick) {}
  ~DeadlineSweeper() { timer_.cancel(); }

  void add(Deadline& d) { deadlines_.push_back(d); }
  void add(SweepAlarm& a) {
    a.sweep_ = sweeps_ + 2;
    alarms_.push_back(a);
    wake();
  }

  // Makes sure a sweep is coming; called whenever a deadline is armed.
  void wake() {
    if (!running_) schedule();
  }

  // Rings the alarms that are due and cancels the I/O of every socket whose deadline is at or
  // before `now`; returns whether any alarm or deadline is still waiting.
  bool sweep(Deadline::Clock::time_point now) {
    ++sweeps_;
    // Alarms were added in sweep order, so the due ones are at the front. ring() may add alarms
    // of its own; those go to the back, due later.
    while (!alarms_.empty() && alarms_.front().sweep_ <= sweeps_) {
      SweepAlarm& due = alarms_.front();
      alarms_.pop_front();
      due.ring();
    }
    bool armed = !alarms_.empty();
    for (auto& d : deadlines_) {
      if (d.at_ == Deadline::Clock::time_point::max() || d.expired_) continue;
      if (d.at_ > now) {
        armed = true;
        continue;
      }
      d.expired_ = true;
      boost::system::error_code ignored;
      d.socket_->cancel(ignored);
    }
    return armed;
  }

 private:
  void schedule() {
    running_ = true;
    timer_.expires_after(tick_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled: the sweeper is being destroyed, `this` may be gone
      running_ = false;
      if (sweep(Deadline::Clock::now())) schedule();
    });
  }

  boost::intrusive::list<Deadline, boost::intrusive::constant_time_size<false>> deadlines_;
  boost::intrusive::list<SweepAlarm, boost::intrusive::constant_time_size<false>> alarms_;
  uint64_t sweeps_ = 0;
  SteadyTimer timer_;
  std::chrono::milliseconds tick_;
  bool running_ = false;
};

inline Deadline::Deadline(DeadlineSweeper& sweeper, TcpSocket& socket)
    : sweeper_(&sweeper), socket_(&socket) {
  sweeper.add(*this);
}

inline void SweepAlarm::set(DeadlineSweeper& sweeper) {
  if (is_linked()) unlink();
  sweeper.add(*this);
}

inline void Deadline::expiresAfter(Clock::duration d) {
  at_ = Clock::now() + d;
  expired_ = false;
  sweeper_->wake();
}

}  // namespace switchyard
