#include "stages/accounting/request_cost.hpp"

#include <cstdio>

#include "stages/accounting/price_table.hpp"

namespace switchyard {

void computeCost(RequestContext& ctx) {
  ctx.costKnown = false;
  ctx.costUsd = 0.0;
  if (!ctx.deployment || !ctx.usage.present) return;
  auto price = priceFor(*ctx.deployment);
  if (!price) return;
  ctx.costUsd = costOf(*price, ctx.usage);
  ctx.costKnown = true;
}

std::string formatCost(const RequestContext& ctx) {
  if (!ctx.costKnown) return {};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", ctx.costUsd);
  return buf;
}

}  // namespace switchyard
