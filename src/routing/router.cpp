#include "routing/router.hpp"

#include <algorithm>
#include <cmath>

namespace switchyard {

namespace {

Error unknownModel(const Snapshot& snapshot, std::string_view model) {
  std::string names;
  for (const auto& n : snapshot.modelNames()) {
    if (!names.empty()) names += ", ";
    names += n;
  }
  return Error::make(ErrorClass::kNotFound,
                     "The model '" + std::string(model) +
                         "' does not exist on this gateway. Available models: " +
                         (names.empty() ? std::string("(none configured)") : names) + ".",
                     "model", "model_not_found");
}

// Weighted random order without replacement (Efraimidis-Spirakis): sort by u^(1/w).
void weightedShuffle(DeploymentList& list, std::mt19937_64& rng) {
  if (list.size() < 2) return;
  std::uniform_real_distribution<double> uniform(1e-12, 1.0);
  std::vector<std::pair<double, size_t>> keys;
  keys.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const double w = list[i]->weight > 0 ? list[i]->weight : 1e-9;
    keys.emplace_back(std::log(uniform(rng)) / w, i);
  }
  std::sort(keys.begin(), keys.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  DeploymentList ordered;
  ordered.reserve(list.size());
  for (const auto& [key, i] : keys) ordered.push_back(std::move(list[i]));
  list = std::move(ordered);
}

}  // namespace

Result<DeploymentList> selectDeployments(const Snapshot& snapshot, std::string_view model,
                                         std::mt19937_64& rng) {
  if (auto it = snapshot.groups.find(model); it != snapshot.groups.end()) {
    DeploymentList list;
    list.reserve(it->second.size());
    for (size_t i : it->second) list.push_back(snapshot.deployments[i]);
    weightedShuffle(list, rng);
    return list;
  }
  for (const auto& route : snapshot.wildcards) {
    std::string_view upstream;
    if (route.prefix == "*") {
      upstream = model;
    } else if (model.size() > route.prefix.size() + 1 && model.starts_with(route.prefix) &&
               model[route.prefix.size()] == '/') {
      upstream = model.substr(route.prefix.size() + 1);
    } else {
      continue;
    }
    auto d = std::make_shared<Deployment>(route.deploymentTemplate);
    d->modelName = std::string(model);
    d->upstreamModel = std::string(upstream);
    d->id = route.prefix + "/*";
    return DeploymentList{std::move(d)};
  }
  return unknownModel(snapshot, model);
}

}  // namespace switchyard
