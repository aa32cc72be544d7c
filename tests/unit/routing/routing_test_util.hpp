#pragma once
// Snapshots for the routing tests. Deployment state is process-wide and keyed by id, so every
// test names its deployments with a prefix of its own.

#include <memory>
#include <string>
#include <vector>

#include "config/snapshot.hpp"

namespace switchyard::testing {

inline std::shared_ptr<Deployment> addDeployment(Snapshot& s, const std::string& group,
                                                 const std::string& id) {
  auto d = std::make_shared<Deployment>();
  d->id = id;
  d->modelName = group;
  d->provider = "openai";
  d->upstreamModel = "up-" + id;
  s.groups[group].push_back(s.deployments.size());
  s.deployments.push_back(d);
  return d;
}

// A group "chat" of n deployments "<prefix>#0".."<prefix>#n-1".
inline std::shared_ptr<Snapshot> groupSnapshot(const std::string& prefix, size_t n,
                                               const std::string& group = "chat") {
  auto s = std::make_shared<Snapshot>();
  for (size_t i = 0; i < n; ++i) addDeployment(*s, group, prefix + "#" + std::to_string(i));
  return s;
}

inline Deployment& mut(const std::shared_ptr<Snapshot>& s, size_t i) {
  return const_cast<Deployment&>(*s->deployments[i]);
}

}  // namespace switchyard::testing
