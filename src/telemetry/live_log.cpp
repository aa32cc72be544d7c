#include "telemetry/live_log.hpp"

#include <algorithm>

#include "telemetry/access_log.hpp"
#include "telemetry/text_buffer.hpp"

namespace switchyard {

void LiveLog::publish(const RequestContext& ctx, std::string_view modelGroup,
                      std::chrono::steady_clock::time_point end) {
  thread_local TextBuffer line;  // formatting allocates nothing once it has grown
  line.clear();
  formatAccessLog(ctx, modelGroup, end, line);
  append(line.view());
}

void LiveLog::append(std::string_view line) {
  std::lock_guard lock(mutex_);
  if (ring_.size() == kCapacity) ring_.pop_front();
  ring_.emplace_back(line);
  ++newest_;
}

uint64_t LiveLog::readAfter(uint64_t after, size_t max, std::vector<Entry>& out) const {
  std::lock_guard lock(mutex_);
  const uint64_t oldest = newest_ - ring_.size() + 1;
  uint64_t from = std::max(after + 1, oldest);
  if (newest_ >= from && newest_ - from + 1 > max) from = newest_ - max + 1;
  for (uint64_t s = from; s <= newest_; ++s) out.push_back({s, ring_[size_t(s - oldest)]});
  return newest_;
}

uint64_t LiveLog::newest() const {
  std::lock_guard lock(mutex_);
  return newest_;
}

}  // namespace switchyard
