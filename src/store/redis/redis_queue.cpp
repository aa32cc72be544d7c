#include "store/redis/redis_queue.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/log.hpp"

namespace switchyard {

namespace {

constexpr auto kProbeEvery = std::chrono::seconds(1);

Error refusal(std::string why) { return Error::make(ErrorClass::kUnavailable, std::move(why)); }

}  // namespace

RedisQueue::RedisQueue(RedisQueueOptions options)
    : options_(std::move(options)), connection_(options_.endpoint) {
  thread_ = std::thread([this] { loop(); });
}

RedisQueue::~RedisQueue() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

RedisQueue::Stats RedisQueue::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.timeouts = timeouts_.load(std::memory_order_relaxed);
  return s;
}

bool RedisQueue::enqueue(Call call) {
  const auto now = Clock::now();
  std::unique_lock lock(mutex_);
  if (stop_ || queue_.size() >= options_.maxQueued) {
    ++stats_.refused;
    return false;
  }
  if (down_.load(std::memory_order_relaxed)) {
    // One call a second finds out whether Redis is back; the others do not wait on it.
    const int64_t at = probeAt_.load(std::memory_order_relaxed);
    if (now.time_since_epoch().count() < at) {
      ++stats_.refused;
      return false;
    }
    probeAt_.store((now + kProbeEvery).time_since_epoch().count(), std::memory_order_relaxed);
  }
  queue_.push_back(std::move(call));
  lock.unlock();
  wake_.notify_one();
  return true;
}

bool RedisQueue::send(std::vector<RedisCommand> commands) {
  return enqueue({std::move(commands), Clock::now() + options_.endpoint.timeout, {}});
}

Task<RedisQueue::Replies> RedisQueue::run(std::vector<RedisCommand> commands) {
  // The caller waits on a timer of its own executor; the thread's answer cancels it. The queued
  // call reaches the timer only through `link`, which the caller empties when it stops waiting:
  // a call that outlives its caller (Redis hung past the timeout) then holds nothing of the
  // caller's executor, which may be gone by the time the thread gets to it.
  struct Wait {
    explicit Wait(const Executor& ex) : timer(ex) {}
    SteadyTimer timer;
    std::optional<Replies> result;
  };
  struct Link {
    std::mutex mutex;
    std::shared_ptr<Wait> wait;  // empty once the answer was posted or the caller gave up
  };
  const Executor ex = co_await boost::asio::this_coro::executor;
  auto wait = std::make_shared<Wait>(ex);
  auto link = std::make_shared<Link>();
  link->wait = wait;
  const auto deadline = Clock::now() + options_.endpoint.timeout;
  wait->timer.expires_at(deadline);
  auto done = [ex, link](Replies replies) {
    std::lock_guard lock(link->mutex);
    if (!link->wait) return;
    boost::asio::post(ex, [w = std::move(link->wait), replies = std::move(replies)]() mutable {
      w->result = std::move(replies);
      w->timer.cancel();
    });
  };
  if (!enqueue({std::move(commands), deadline, std::move(done)})) {
    co_return refusal("redis " + options_.endpoint.host + ": down or busy");
  }
  co_await wait->timer.async_wait(kUseTuple);
  bool posted = false;
  {
    std::lock_guard lock(link->mutex);
    posted = !link->wait;
    link->wait.reset();
  }
  // Posted just as the timer fired: the answer's handler is queued ahead of this one.
  if (posted && !wait->result) co_await boost::asio::post(ex, kUseAwaitable);
  if (wait->result) co_return std::move(*wait->result);
  timeouts_.fetch_add(1, std::memory_order_relaxed);
  co_return Error::make(ErrorClass::kTimeout,
                        "redis " + options_.endpoint.host + ": no answer in " +
                            std::to_string(options_.endpoint.timeout.count()) + " ms");
}

void RedisQueue::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_) break;
    std::vector<Call> batch;
    while (!queue_.empty() && batch.size() < options_.maxPipeline) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    runBatch(batch);
    lock.lock();
  }
  // Not answered: their callers' executors may be gone by now; a caller still waiting times out.
  queue_.clear();
}

void RedisQueue::runBatch(std::vector<Call>& batch) {
  // Calls whose callers have given up are not sent: their answer would be dropped.
  const auto now = Clock::now();
  std::vector<RedisCommand> commands;
  std::vector<Call*> sent;
  for (Call& c : batch) {
    if (c.deadline < now) continue;
    sent.push_back(&c);
    commands.insert(commands.end(), c.commands.begin(), c.commands.end());
  }
  if (commands.empty()) return;
  auto replies = connection_.run(commands);
  {
    std::lock_guard lock(mutex_);
    ++stats_.roundTrips;
    if (!replies) ++stats_.failures;
  }
  if (!replies) {
    if (!down_.exchange(true, std::memory_order_relaxed)) {
      logWarn(options_.what + ": " + replies.error().message +
              "; treated as misses until Redis answers again");
    }
    probeAt_.store((Clock::now() + kProbeEvery).time_since_epoch().count(),
                   std::memory_order_relaxed);
    for (Call* c : sent) {
      if (c->done) c->done(replies.error());
    }
    return;
  }
  if (down_.exchange(false, std::memory_order_relaxed)) {
    logInfo(options_.what + ": Redis answers again");
  }
  size_t at = 0;
  for (Call* c : sent) {
    const size_t n = c->commands.size();
    if (c->done) {
      c->done(std::vector<RedisReply>(std::make_move_iterator(replies->begin() + at),
                                      std::make_move_iterator(replies->begin() + at + n)));
    }
    at += n;
  }
}

}  // namespace switchyard
