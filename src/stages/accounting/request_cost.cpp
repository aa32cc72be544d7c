#include "stages/accounting/request_cost.hpp"

#include <array>
#include <cstdio>

#include "stages/accounting/price_table.hpp"

namespace switchyard {

namespace {

// A deployment's price, looked up once per worker thread: the lookup tries several table keys and
// reads model_info, thousands of instructions on every request otherwise. Entries are keyed by
// the deployment's ownership (a weak_ptr), so a config reload's new deployments never match an
// old entry, even at a reused address; and by the table, which a reload may change alone.
const std::optional<ModelPrice>& cachedPrice(const std::shared_ptr<const Deployment>& d,
                                             const std::shared_ptr<const PriceTable>& table) {
  struct Entry {
    std::weak_ptr<const Deployment> owner;
    std::weak_ptr<const PriceTable> table;
    std::optional<ModelPrice> price;
  };
  thread_local std::array<Entry, 16> cache;
  thread_local size_t next = 0;
  for (auto& e : cache) {
    if (!e.owner.owner_before(d) && !d.owner_before(e.owner) && !e.owner.expired() &&
        !e.table.owner_before(table) && !table.owner_before(e.table)) {
      return e.price;
    }
  }
  Entry& e = cache[next++ % cache.size()];
  e.owner = d;
  e.table = table;
  e.price = priceFor(*d, table.get());
  return e.price;
}

}  // namespace

void computeCost(RequestContext& ctx) {
  ctx.costKnown = false;
  ctx.costUsd = 0.0;
  if (!ctx.deployment || !ctx.usage.present) return;
  const auto& price = cachedPrice(ctx.deployment, ctx.snapshot->prices);
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
