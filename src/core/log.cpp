#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace switchyard {

namespace {
std::atomic<LogLevel> gLevel{LogLevel::kInfo};

std::string_view levelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}
}  // namespace

void setLogLevel(LogLevel level) { gLevel.store(level, std::memory_order_relaxed); }

bool logEnabled(LogLevel level) { return level >= gLevel.load(std::memory_order_relaxed); }

void logLine(LogLevel level, std::string_view message) {
  if (!logEnabled(level)) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line;
  line.reserve(message.size() + 48);
  line.append(stamp).append(" ").append(levelName(level)).append(" ").append(message).append("\n");
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace switchyard
