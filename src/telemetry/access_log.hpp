#pragma once
// One JSON line per finished request to a model endpoint: ids, key alias, model group,
// deployment, status, tokens, cost, timings and attempts. Never keys or bodies. Lines go to a
// LogSink (stdout or a file), written by its own thread.

#include <chrono>
#include <string>

#include "stages/request_context.hpp"

namespace switchyard {

class LogSink;
class TextBuffer;
struct CountTokensLogEntry;

// The sink lines go to; nullptr turns the log off. The sink must outlive every worker.
void setAccessLogSink(LogSink* sink);
bool accessLogEnabled();

// Appends the line, without its '\n'. `modelGroup` is the request's bounded label, as in the
// metrics (see boundedLabels): the configured group, the wildcard pattern, or "_unknown".
void formatAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                     std::chrono::steady_clock::time_point end, TextBuffer& out);
void writeAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                    std::chrono::steady_clock::time_point end);

// A /v1/messages/count_tokens request's line: "endpoint":"count_tokens", status, who counted,
// the deployment asked, total_us.
void formatCountTokensLog(const CountTokensLogEntry& entry, TextBuffer& out);
void writeCountTokensLog(const CountTokensLogEntry& entry);

}  // namespace switchyard
