#include "store/redis/shared_counters.hpp"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <charconv>

#include "core/log.hpp"
#include "core/random.hpp"
#include "routing/deployment_state.hpp"

namespace switchyard {

namespace {

using namespace std::chrono_literals;

// Grants up to ARGV[2] units of the limit ARGV[1] in the window KEYS[1]: never past the limit,
// whatever the other instances asked for. Answers {granted, used in the window after it}.
constexpr const char* kGrantScript = R"lua(
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.min(tonumber(ARGV[2]), tonumber(ARGV[1]) - used)
if grant > 0 then used = redis.call('INCRBY', KEYS[1], grant) else grant = 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {grant, used}
)lua";

// Returns ARGV[1] unused units to a window that still exists (an expired one stays gone).
constexpr const char* kReturnScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECRBY', KEYS[1], ARGV[1]) end
return 0
)lua";

// Publishes this instance's level ARGV[2] under its id ARGV[1] with a heartbeat at ARGV[3] (unix
// ms) and answers the sum over instances whose heartbeat is younger than ARGV[4] ms, dropping
// the others: a crashed instance's in-flight requests stop counting.
constexpr const char* kLevelScript = R"lua(
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local cutoff = tonumber(ARGV[3]) - tonumber(ARGV[4])
local beats = redis.call('HGETALL', KEYS[2])
local sum = 0
for i = 1, #beats, 2 do
  if tonumber(beats[i + 1]) < cutoff then
    redis.call('HDEL', KEYS[1], beats[i])
    redis.call('HDEL', KEYS[2], beats[i])
  else
    sum = sum + (tonumber(redis.call('HGET', KEYS[1], beats[i])) or 0)
  end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 4)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]) * 4)
return tostring(sum)
)lua";

constexpr auto kLeaseTtl = 120s;         // a minute window and its stragglers
constexpr auto kIdleLeaseReturn = 1s;    // a lease untouched this long gives its units back
constexpr auto kKeepSyncing = 5s;        // a value read this recently is kept fresh
constexpr auto kForget = 180s;           // an entry untouched this long is dropped
constexpr auto kRetryAfterFailure = 1s;  // Redis down: how often to try again
// Exchanges failing this long mean Redis is down. A shorter stall (one timeout on a loaded
// machine) is retried at the next interval on what is already leased: per-instance limits on
// top of leases could admit more than the limit across instances.
constexpr auto kDownAfter = 1s;

std::string text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

int64_t unixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string randomInstanceId() {
  FastRandom rng = FastRandom::seeded();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%d-%016llx", static_cast<int>(getpid()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

}  // namespace

// One exchange: the commands, and for each what its reply updates.
class SharedCounters::Batch {
 public:
  enum class Kind : uint8_t {
    kGrant,
    kIgnore,
    kTotal,
    kLevel,
    kCooldown,
    kDeployRequests,
    kDeployTokens
  };
  struct Action {
    Kind kind;
    std::string name;    // the lease, total or level
    size_t watched = 0;  // index into watched_
    double sent = 0;     // kLevel: the level published; kDeploy*: this instance's count in it
  };
  static Action ignored() { return {Kind::kIgnore, {}, 0, 0}; }
  void add(RedisCommand c, Action a) {
    commands.push_back(std::move(c));
    actions.push_back(std::move(a));
  }
  std::vector<RedisCommand> commands;
  std::vector<Action> actions;
};

SharedCounters::SharedCounters(SharedCountersOptions options)
    : options_(std::move(options)), instance_(randomInstanceId()), redis_(options_.redis) {
  // The first answer decides whether this instance starts shared or on per-instance limits.
  if (auto pong = redis_.run({{"PING"}}); pong) {
    sharing_ = true;
    lastAnswer_ = Clock::now();
  } else {
    down_ = true;
    retryAt_ = Clock::now() + kRetryAfterFailure;
    logWarn("shared limits: " + pong.error().message +
            "; per-instance limits (limit / expected_instances) until Redis answers");
  }
  thread_ = std::thread([this] { run(); });
}

SharedCounters::~SharedCounters() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int64_t SharedCounters::fallbackLimit(int64_t limit) const {
  // Rounded down: all the instances on their own limits together stay within the limit.
  const int64_t n = std::max(1, options_.expectedInstances);
  return std::max<int64_t>(1, limit / n);
}

int64_t SharedCounters::leaseSlice(int64_t limit) const {
  // A quarter of an instance's even share: small enough that little of the quota sits unused in
  // another instance's lease, large enough that one exchange serves many requests.
  const int64_t n = std::max(1, options_.expectedInstances);
  return std::clamp<int64_t>(limit / (4 * n), 1, 10'000);
}

std::string SharedCounters::key(std::string_view kind, std::string_view name,
                                int64_t window) const {
  std::string k = options_.prefix;
  k.append(kind).append(":").append(name);
  if (window != 0) k.append(":").append(std::to_string(window));
  return k;
}

SharedCounters::Take SharedCounters::take(const std::string& name, int64_t limit, int64_t window) {
  std::lock_guard lock(mutex_);
  Lease& l = leases_[name];
  if (l.window != window) {
    l.window = window;
    l.units = 0;
    l.localCount = 0;
    l.exhausted = false;
  }
  l.limit = limit;
  l.lastTake = Clock::now();
  if (!sharing()) {
    if (l.localCount >= fallbackLimit(limit)) return Take::kRefused;
    ++l.localCount;
    return Take::kTaken;
  }
  auto wantRefill = [&] {
    if (l.refillWanted || l.refillSent) return;
    l.refillWanted = true;
    wakeNow_ = true;
    wake_.notify_one();
  };
  if (l.units > 0) {
    --l.units;
    ++l.localCount;
    if (!l.exhausted && l.units <= leaseSlice(limit) / 2) wantRefill();
    return Take::kTaken;
  }
  // Spent, unless another instance has returned units since: asked again now and then.
  if (l.exhausted && l.lastTake - l.exhaustedAt < kIdleLeaseReturn) return Take::kRefused;
  wantRefill();
  ++stats_.leaseWaits;
  return Take::kWait;
}

void SharedCounters::giveBack(const std::string& name, int64_t window) {
  std::lock_guard lock(mutex_);
  auto it = leases_.find(name);
  if (it == leases_.end() || it->second.window != window) return;
  Lease& l = it->second;
  if (l.localCount > 0) --l.localCount;
  if (sharing()) ++l.units;
}

Task<void> SharedCounters::awaitLease(const std::string& name) {
  const Executor ex = co_await boost::asio::this_coro::executor;
  auto timer = std::make_shared<SteadyTimer>(ex);
  // Bounded even if the sync thread were stuck: one exchange takes at most the timeout.
  timer->expires_after(2 * options_.redis.timeout + options_.syncInterval + 100ms);
  {
    std::lock_guard lock(mutex_);
    auto it = leases_.find(name);
    if (it == leases_.end() || (!it->second.refillWanted && !it->second.refillSent)) co_return;
    it->second.waiters.push_back(
        [ex, timer] { boost::asio::post(ex, [timer] { timer->cancel(); }); });
  }
  co_await timer->async_wait(kUseTuple);
}

void SharedCounters::wakeWaiters(Lease& l) {
  for (auto& w : l.waiters) w();
  l.waiters.clear();
}

void SharedCounters::add(const std::string& name, int64_t window, double amount,
                         std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  Total& t = totals_[name];
  if (t.window != window) t = Total{window, ttl};
  t.ttl = ttl;
  t.unsent += amount;
  t.lastUse = Clock::now();
}

double SharedCounters::total(const std::string& name, int64_t window,
                             std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  Total& t = totals_[name];
  if (t.window != window) t = Total{window, ttl};
  t.lastUse = Clock::now();
  return t.known + t.unsent + t.sending;
}

void SharedCounters::adjust(const std::string& name, double delta) {
  std::lock_guard lock(mutex_);
  Level& l = levels_[name];
  l.own += delta;
  if (l.own > -1e-9 && l.own < 1e-9) l.own = 0;  // what float sums of +x and -x leave behind
  l.lastUse = Clock::now();
}

double SharedCounters::level(const std::string& name) {
  std::lock_guard lock(mutex_);
  Level& l = levels_[name];
  l.lastUse = Clock::now();
  return l.own + l.others;
}

void SharedCounters::watchDeployments(
    std::vector<std::pair<std::string, std::weak_ptr<DeploymentState>>> list) {
  std::lock_guard lock(mutex_);
  std::vector<Watched> next;
  for (auto& [name, state] : list) {
    Watched w{std::move(name), std::move(state)};
    // A deployment kept across a reload keeps what was already sent for it.
    for (const Watched& old : watched_) {
      if (old.name == w.name && old.state.lock() == w.state.lock()) {
        w.tripsSeen = old.tripsSeen;
        w.requestsSent = old.requestsSent;
        w.tokensSent = old.tokensSent;
        w.minute = old.minute;
      }
    }
    if (auto s = w.state.lock(); s && w.tripsSeen == 0) w.tripsSeen = s->trips();
    next.push_back(std::move(w));
  }
  watched_ = std::move(next);
}

SharedCounters::Stats SharedCounters::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void SharedCounters::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    exchange(lock);
    wake_.wait_for(lock, options_.syncInterval, [&] { return stop_ || wakeNow_; });
    wakeNow_ = false;
  }
}

bool SharedCounters::exchange(std::unique_lock<std::mutex>& lock) {
  const auto now = Clock::now();
  if (down_ && now < retryAt_) {
    // Nobody waits for a slice that cannot come: they take per-instance limits meanwhile.
    for (auto& [name, l] : leases_) {
      l.refillWanted = false;
      wakeWaiters(l);
    }
    return false;
  }
  const int64_t nowUnix = unixMs();
  const std::string ttl = std::to_string(std::chrono::milliseconds(kLeaseTtl).count());
  const auto stale = std::max<std::chrono::milliseconds>(2s, 20 * options_.syncInterval);
  Batch b;
  for (auto it = leases_.begin(); it != leases_.end();) {
    auto& [name, l] = *it;
    const std::string k = key("lease", name, l.window);
    if (l.refillWanted && !l.refillSent) {
      b.add({"EVAL", kGrantScript, "1", k, std::to_string(l.limit),
             std::to_string(leaseSlice(l.limit)), ttl},
            {Batch::Kind::kGrant, name, 0, 0});
      l.refillWanted = false;
      l.refillSent = true;
    } else if (l.units > 0 && !l.refillSent && now - l.lastTake > kIdleLeaseReturn) {
      b.add({"EVAL", kReturnScript, "1", k, std::to_string(l.units)}, Batch::ignored());
      l.units = 0;
    }
    if (!l.refillSent && l.waiters.empty() && l.units == 0 && now - l.lastTake > kForget) {
      it = leases_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = totals_.begin(); it != totals_.end();) {
    auto& [name, t] = *it;
    const std::string k = key("total", name, t.window);
    if (t.unsent != 0 && t.sending == 0) {
      b.add({"INCRBYFLOAT", k, text(t.unsent)}, {Batch::Kind::kTotal, name, 0, 0});
      if (t.ttl.count() > 0) {
        b.add({"PEXPIRE", k, std::to_string(t.ttl.count())}, Batch::ignored());
      }
      t.sending = t.unsent;
      t.unsent = 0;
    } else if (t.sending == 0 && now - t.lastUse < kKeepSyncing) {
      b.add({"GET", k}, {Batch::Kind::kTotal, name, 0, 0});
    }
    if (t.unsent == 0 && t.sending == 0 && now - t.lastUse > kForget) {
      it = totals_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = levels_.begin(); it != levels_.end();) {
    auto& [name, l] = *it;
    if (l.own != 0 || l.sent != 0 || now - l.lastUse < kKeepSyncing) {
      const std::string k = key("level", name, 0);
      b.add({"EVAL", kLevelScript, "2", k, k + ":beat", instance_, text(l.own),
             std::to_string(nowUnix), std::to_string(stale.count())},
            {Batch::Kind::kLevel, name, 0, l.own});
      l.sent = l.own;
      ++it;
    } else if (now - l.lastUse > kForget) {
      it = levels_.erase(it);
    } else {
      ++it;
    }
  }
  const int64_t minute = nowUnix / 60'000;
  for (size_t i = 0; i < watched_.size(); ++i) {
    Watched& w = watched_[i];
    auto state = w.state.lock();
    if (!state) continue;
    const std::string cooldownKey = key("cooldown", w.name, 0);
    if (const uint32_t trips = state->trips(); trips != w.tripsSeen) {
      w.tripsSeen = trips;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          state->cooldownUntil() - RouterClock::now());
      if (left.count() > 0) {
        b.add({"SET", cooldownKey, std::to_string(nowUnix + left.count()), "PX",
               std::to_string(left.count())},
              Batch::ignored());
      }
    }
    b.add({"GET", cooldownKey}, {Batch::Kind::kCooldown, {}, i, 0});
    if (w.minute != minute) {
      w.minute = minute;
      w.requestsSent = w.tokensSent = 0;
    }
    const auto local = RouterClock::now();
    const int64_t requests = state->requestsThisMinute(local);
    const int64_t tokens = state->tokensThisMinute(local);
    // The local minute (steady clock) rolled before the unix one: start counting again.
    if (requests < w.requestsSent) w.requestsSent = 0;
    if (tokens < w.tokensSent) w.tokensSent = 0;
    const std::string rk = key("deployment-requests", w.name, minute);
    const std::string tk = key("deployment-tokens", w.name, minute);
    b.add({"INCRBY", rk, std::to_string(requests - w.requestsSent)},
          {Batch::Kind::kDeployRequests, {}, i, static_cast<double>(requests)});
    b.add({"PEXPIRE", rk, ttl}, Batch::ignored());
    b.add({"INCRBY", tk, std::to_string(tokens - w.tokensSent)},
          {Batch::Kind::kDeployTokens, {}, i, static_cast<double>(tokens)});
    b.add({"PEXPIRE", tk, ttl}, Batch::ignored());
    w.requestsSent = requests;
    w.tokensSent = tokens;
  }
  if (b.commands.empty()) return true;

  lock.unlock();
  auto replies = redis_.run(b.commands);
  lock.lock();
  ++stats_.exchanges;
  if (!replies) {
    ++stats_.failures;
    for (auto& [name, t] : totals_) {
      t.unsent += t.sending;
      t.sending = 0;
    }
    // What was sent for the deployments may not have arrived: it is sent again.
    for (Watched& w : watched_) w.requestsSent = w.tokensSent = 0;
    if (sharing() && Clock::now() - lastAnswer_ < kDownAfter) {
      // A stall, not (yet) an outage: the refills are asked again at the next exchange.
      for (auto& [name, l] : leases_) {
        if (l.refillSent) l.refillWanted = true;
        l.refillSent = false;
      }
      return false;
    }
    sharing_ = false;
    if (!down_) {
      logWarn("shared limits: " + replies.error().message +
              "; per-instance limits (limit / expected_instances) until Redis answers");
    }
    down_ = true;
    retryAt_ = Clock::now() + kRetryAfterFailure;
    for (auto& [name, l] : leases_) {
      l.refillSent = l.refillWanted = false;
      wakeWaiters(l);
    }
    return false;
  }
  lastAnswer_ = Clock::now();
  if (down_) logInfo("shared limits: Redis answers again; limits are shared across instances");
  down_ = false;
  sharing_ = true;
  const auto at = RouterClock::now();
  for (size_t i = 0; i < b.actions.size(); ++i) {
    const Batch::Action& a = b.actions[i];
    const RedisReply& r = (*replies)[i];
    switch (a.kind) {
      case Batch::Kind::kIgnore:
        break;
      case Batch::Kind::kGrant: {
        auto it = leases_.find(a.name);
        if (it == leases_.end()) break;
        Lease& l = it->second;
        l.refillSent = false;
        if (r.type == RedisReply::Type::kArray && r.elements.size() == 2) {
          const int64_t granted = r.elements[0].integer;
          l.units += granted;
          if (granted > 0) ++stats_.leaseGrants;
          // Less than a slice: the window's quota is spent (until someone returns units).
          l.exhausted = granted < leaseSlice(l.limit) && r.elements[1].integer >= l.limit;
          if (l.exhausted) l.exhaustedAt = Clock::now();
        }
        wakeWaiters(l);
        break;
      }
      case Batch::Kind::kTotal: {
        auto it = totals_.find(a.name);
        if (it == totals_.end()) break;
        it->second.known = r.number().value_or(0);
        it->second.sending = 0;
        break;
      }
      case Batch::Kind::kLevel: {
        auto it = levels_.find(a.name);
        if (it == levels_.end()) break;
        it->second.others = r.number().value_or(a.sent) - a.sent;
        break;
      }
      case Batch::Kind::kCooldown: {
        auto state = watched_.size() > a.watched ? watched_[a.watched].state.lock() : nullptr;
        const auto until = r.number();
        if (!state || !until || *until <= nowUnix) break;
        state->adoptCooldown(at +
                             std::chrono::milliseconds(static_cast<int64_t>(*until) - nowUnix));
        break;
      }
      case Batch::Kind::kDeployRequests:
      case Batch::Kind::kDeployTokens: {
        auto state = watched_.size() > a.watched ? watched_[a.watched].state.lock() : nullptr;
        const auto sum = r.number();
        if (!state || !sum) break;
        const int64_t others = std::max<int64_t>(0, static_cast<int64_t>(*sum - a.sent));
        if (a.kind == Batch::Kind::kDeployRequests) {
          state->setOthersRequests(at, others);
        } else {
          state->setOthersTokens(at, others);
        }
        break;
      }
    }
  }
  return true;
}

}  // namespace switchyard
