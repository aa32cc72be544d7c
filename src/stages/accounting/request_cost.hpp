#pragma once
// Fills RequestContext.costUsd / costKnown from the usage the provider reported.

#include <string>

#include "stages/request_context.hpp"

namespace switchyard {

void computeCost(RequestContext& ctx);
// The cost as the response headers carry it ("0.000123"); empty when unknown.
std::string formatCost(const RequestContext& ctx);

}  // namespace switchyard
