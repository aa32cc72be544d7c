#include "server/runtime_builder.hpp"

#include "routing/deployment_state.hpp"
#include "stages/accounting/price_table.hpp"

namespace switchyard {

Result<std::shared_ptr<const Snapshot>> RuntimeBuilder::build(const Snapshot& parsed,
                                                              const Snapshot* previous) {
  auto next = std::make_shared<Snapshot>(parsed);
  const std::string& pricesPath = next->governance.modelPricesPath;
  // The built-in table cannot change; a price file is read again, as an edit is why one reloads.
  if (previous && previous->prices && pricesPath.empty() &&
      previous->governance.modelPricesPath.empty()) {
    next->prices = previous->prices;
  } else {
    auto prices = loadPriceTable(pricesPath);
    if (!prices) return prices.error();
    next->prices = std::move(*prices);
  }
  auto governance = governance_.forConfig(*next);
  if (!governance) return governance.error();
  next->governanceService = std::move(*governance);
  carryOverDeploymentStates(*next, previous);
  return std::shared_ptr<const Snapshot>(std::move(next));
}

}  // namespace switchyard
