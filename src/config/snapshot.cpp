#include "config/snapshot.hpp"

#include <set>

namespace switchyard {

std::vector<std::string> Snapshot::modelNames() const {
  std::vector<std::string> names;
  std::set<std::string, std::less<>> seen;
  for (const auto& d : deployments) {
    if (seen.insert(d->modelName).second) names.push_back(d->modelName);
  }
  for (const auto& [alias, target] : router.groupAliases) {
    if (!target.hidden && seen.insert(alias).second) names.push_back(alias);
  }
  for (const auto& w : wildcards) {
    std::string name = w.prefix.empty() ? "*" : w.prefix + "/*";
    if (seen.insert(name).second) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace switchyard
