#pragma once
// Chooses which deployments serve a model name, and in which order they are tried.

#include <memory>
#include <random>
#include <string_view>
#include <vector>

#include "config/snapshot.hpp"
#include "core/error.hpp"

namespace switchyard {

using DeploymentList = std::vector<std::shared_ptr<const Deployment>>;

// The deployments of the model's group in a weighted-random order (simple-shuffle), or a
// deployment made from a wildcard route ("openai/*") for "openai/<name>". 404 with the valid
// names when nothing matches.
Result<DeploymentList> selectDeployments(const Snapshot& snapshot, std::string_view model,
                                         std::mt19937_64& rng);

}  // namespace switchyard
