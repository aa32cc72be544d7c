#pragma once
// One JSON line per finished request: ids, model, deployment, status, tokens and timings.
// Never keys or bodies.

#include "stages/request_context.hpp"

namespace switchyard {

void setAccessLogEnabled(bool on);
bool accessLogEnabled();
std::string formatAccessLog(const RequestContext& ctx);
void writeAccessLog(const RequestContext& ctx);

}  // namespace switchyard
