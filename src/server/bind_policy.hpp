#pragma once
// Where the gateway listens by default, and when it refuses to: without a master key every
// client that reaches the port may spend the provider keys the gateway holds, so an open
// address needs either a master key or the operator's explicit --allow-unauthenticated.

#include <optional>
#include <string>
#include <vector>

#include "config/snapshot.hpp"

namespace switchyard {

struct BindDecision {
  std::string host;
  std::optional<std::string> refusal;  // set: do not start, say this
  std::vector<std::string> warnings;   // log these loudly
};

// cliHost: --host. The address is --host, else switchyard_settings.host, else 0.0.0.0 with a
// master key and 127.0.0.1 without.
BindDecision chooseBindAddress(const Snapshot& snapshot, const std::optional<std::string>& cliHost,
                               bool allowUnauthenticated);

// 127.0.0.0/8, ::1, localhost.
bool isLoopbackHost(std::string_view host);

// Whether any deployment or wildcard route carries a credential (api key, AWS keys, Vertex
// service account) that an unauthenticated client could spend.
bool holdsProviderCredentials(const Snapshot& snapshot);

}  // namespace switchyard
