#include "server/bind_policy.hpp"

namespace switchyard {

namespace {

bool holdsCredentials(const Deployment& d) {
  if (!d.apiKey.empty()) return true;
  for (const char* param : {"aws_secret_access_key", "vertex_credentials"}) {
    if (d.providerParams.contains(param)) return true;
  }
  return false;
}

}  // namespace

bool isLoopbackHost(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

bool holdsProviderCredentials(const Snapshot& snapshot) {
  for (const auto& d : snapshot.deployments) {
    if (holdsCredentials(*d)) return true;
  }
  for (const auto& w : snapshot.wildcards) {
    if (holdsCredentials(w.deploymentTemplate)) return true;
  }
  return false;
}

BindDecision chooseBindAddress(const Snapshot& snapshot, const std::optional<std::string>& cliHost,
                               bool allowUnauthenticated) {
  BindDecision d;
  const bool authenticated = !snapshot.masterKey.empty();
  if (cliHost) {
    d.host = *cliHost;
  } else if (!snapshot.server.host.empty()) {
    d.host = snapshot.server.host;
  } else {
    d.host = authenticated ? "0.0.0.0" : "127.0.0.1";
  }
  if (authenticated || isLoopbackHost(d.host)) return d;
  if (!holdsProviderCredentials(snapshot)) {
    d.warnings.push_back("listening on " + d.host +
                         " without a master key: anyone who reaches this port may call the "
                         "gateway (set general_settings.master_key or LITELLM_MASTER_KEY)");
    return d;
  }
  if (!allowUnauthenticated) {
    d.refusal = "refusing to listen on " + d.host +
                " without a master key: the configured provider keys would be an open relay for "
                "anyone who reaches this port. Set general_settings.master_key (or "
                "LITELLM_MASTER_KEY), listen on 127.0.0.1, or pass --allow-unauthenticated if "
                "this is really meant";
    return d;
  }
  d.warnings.push_back("UNAUTHENTICATED: listening on " + d.host +
                       " with provider keys and no master key (--allow-unauthenticated): anyone "
                       "who reaches this port spends them");
  return d;
}

}  // namespace switchyard
