#pragma once
// One JSON line per finished request to a model endpoint: ids, key alias, model group,
// deployment, status, tokens, cost, timings and attempts. Never keys or bodies. Lines go to a
// LogSink (stdout or a file), written by its own thread: the one of the snapshot the request
// started with (Snapshot::accessLogSink), none when the log is off.

#include <chrono>
#include <string>

#include "stages/request_context.hpp"

namespace switchyard {

class LogSink;
class TextBuffer;
struct CountTokensLogEntry;

// Appends the line, without its '\n'. `modelGroup` is the request's bounded label, as in the
// metrics (see boundedLabels): the configured group, the wildcard pattern, or "_unknown".
void formatAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                     std::chrono::steady_clock::time_point end, TextBuffer& out);
void writeAccessLog(LogSink& sink, const RequestContext& ctx, std::string_view modelGroup,
                    std::chrono::steady_clock::time_point end);

// A /v1/messages/count_tokens request's line: "endpoint":"count_tokens", status, who counted,
// the deployment asked, total_us.
void formatCountTokensLog(const CountTokensLogEntry& entry, TextBuffer& out);
void writeCountTokensLog(LogSink& sink, const CountTokensLogEntry& entry);

}  // namespace switchyard
