#pragma once
// Minimal leveled logging to stderr, one write() per line so lines from workers do not interleave.

#include <string_view>

namespace switchyard {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void setLogLevel(LogLevel level);
bool logEnabled(LogLevel level);
void logLine(LogLevel level, std::string_view message);

inline void logInfo(std::string_view m) { logLine(LogLevel::kInfo, m); }
inline void logWarn(std::string_view m) { logLine(LogLevel::kWarn, m); }
inline void logError(std::string_view m) { logLine(LogLevel::kError, m); }
inline void logDebug(std::string_view m) {
  if (logEnabled(LogLevel::kDebug)) logLine(LogLevel::kDebug, m);
}

}  // namespace switchyard
