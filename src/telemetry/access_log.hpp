#pragma once
// One JSON line per finished request to a model endpoint: ids, key alias, model group,
// deployment, status, tokens, cost, timings and attempts. Never keys or bodies. A worker hands the
// request's facts to a LogSink (stdout or a file) as a compact entry; the sink's writer thread
// formats the lines (formatAccessLogEntries) and writes them.

#include <chrono>
#include <string>
#include <string_view>

#include "stages/request_context.hpp"

namespace switchyard {

class LogSink;
class TextBuffer;
struct CountTokensLogEntry;

// The sink entries go to; nullptr turns the log off. The sink must outlive every worker, and must
// format with formatAccessLogEntries.
void setAccessLogSink(LogSink* sink);
bool accessLogEnabled();

// The writer's side: appends the lines (each with its '\n') of the entries submitted by
// writeAccessLog and writeCountTokensLog.
void formatAccessLogEntries(std::string_view entries, TextBuffer& out);

// A request's entry, to the sink. `modelGroup` is the request's bounded label, as in the metrics
// (see boundedLabels): the configured group, the wildcard pattern, or "_unknown".
void writeAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                    std::chrono::steady_clock::time_point end);
// The line the writer makes of that entry, without its '\n'.
void formatAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                     std::chrono::steady_clock::time_point end, TextBuffer& out);

// A /v1/messages/count_tokens request's line: "endpoint":"count_tokens", status, who counted,
// the deployment asked, total_us.
void writeCountTokensLog(const CountTokensLogEntry& entry);
void formatCountTokensLog(const CountTokensLogEntry& entry, TextBuffer& out);

}  // namespace switchyard
