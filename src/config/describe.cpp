// `switchyard check-config` output. Secrets (keys, master key, database URL, header values)
// never appear in full: the output ends up in terminals, CI logs and bug reports.

#include <sstream>

#include "config/loader.hpp"

namespace switchyard {

std::string maskSecret(std::string_view secret) {
  if (secret.empty()) return "(none)";
  // Short secrets would be half revealed by a prefix and suffix.
  if (secret.size() < 12) return "****";
  return std::string(secret.substr(0, 3)) + "..." + std::string(secret.substr(secret.size() - 4));
}

std::string formatDiagnostic(const ConfigDiagnostic& d) {
  std::string out = d.severity == ConfigDiagnostic::Severity::kError ? "error: " : "warning: ";
  if (!d.path.empty()) out += d.path + ": ";
  return out + d.message;
}

namespace {

std::string seconds(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + "s";
  std::string s = std::to_string(static_cast<double>(ms.count()) / 1000);
  while (s.ends_with('0')) s.pop_back();
  return s + "s";
}

std::string formatName(WireFormat f) { return std::string(wireFormatName(f)); }

void describeDeployment(std::ostringstream& out, const Deployment& d, const char* indent) {
  out << indent << d.id << ": " << d.provider;
  if (!d.upstreamModel.empty()) out << " model " << d.upstreamModel;
  out << " (" << formatName(d.format) << " format)\n";
  out << indent << "  api_base " << (d.apiBase.empty() ? "(none)" : d.apiBase.toString())
      << ", key " << maskSecret(d.apiKey);
  if (!d.apiVersion.empty()) out << ", api_version " << d.apiVersion;
  out << "\n"
      << indent << "  timeout " << seconds(d.timeout) << ", stream timeout "
      << seconds(d.streamTimeout) << ", weight " << d.weight;
  if (d.rpm) out << ", rpm " << *d.rpm;
  if (d.tpm) out << ", tpm " << *d.tpm;
  if (d.order) out << ", order " << *d.order;
  if (d.maxParallelRequests) out << ", max parallel " << *d.maxParallelRequests;
  if (d.inputCostPerToken || d.outputCostPerToken) {
    out << ", USD/token in " << d.inputCostPerToken.value_or(0) << " out "
        << d.outputCostPerToken.value_or(0);
  }
  out << "\n";
  if (!d.extraHeaders.empty()) {
    out << indent << "  extra headers:";
    for (const auto& [name, value] : d.extraHeaders) out << " " << name;
    out << "\n";
  }
}

}  // namespace

std::string describeSnapshot(const Snapshot& s, const std::vector<ConfigDiagnostic>& diagnostics) {
  std::ostringstream out;
  const auto& srv = s.server;
  out << "source: " << s.source << "\n";
  out << "server: "
      << (!srv.host.empty()     ? srv.host
          : s.masterKey.empty() ? std::string("127.0.0.1")
                                : std::string("0.0.0.0"))
      << ":" << srv.port << ", workers "
      << (srv.workers == 0 ? std::string("one per core") : std::to_string(srv.workers))
      << ", max request body " << srv.maxRequestBodyBytes << " bytes\n";
  out << "client timeouts: header " << seconds(srv.headerTimeout) << ", body "
      << seconds(srv.bodyTimeout) << ", keep-alive " << seconds(srv.keepAliveTimeout) << ", drain "
      << seconds(srv.drainTimeout) << "\n";
  out << "upstream timeouts: request " << seconds(srv.defaultTimeout) << ", stream "
      << (srv.defaultStreamTimeout ? seconds(*srv.defaultStreamTimeout)
                                   : std::string("same as request"))
      << "\n";
  out << "drop_params: " << (srv.dropParams ? "true" : "false") << "\n";
  out << "master key: "
      << (s.masterKey.empty() ? std::string("(none: authentication is off)")
                              : maskSecret(s.masterKey))
      << "\n";
  if (!s.databaseUrl.empty()) out << "database_url: set\n";

  out << "model groups (" << s.groups.size() << "):\n";
  // model_list order, as clients see them in /v1/models.
  for (const auto& name : s.modelNames()) {
    auto it = s.groups.find(name);
    if (it == s.groups.end()) continue;
    out << "  " << name << " (" << it->second.size()
        << (it->second.size() == 1 ? " deployment" : " deployments") << ")\n";
    for (size_t index : it->second) describeDeployment(out, *s.deployments[index], "    ");
  }
  out << "wildcards (" << s.wildcards.size() << "):\n";
  for (const auto& w : s.wildcards) {
    out << "  " << (w.prefix.empty() ? std::string("*") : w.prefix + "/*") << "\n";
    describeDeployment(out, w.deploymentTemplate, "    ");
  }
  const auto& r = s.router;
  out << "routing: " << routingStrategyName(r.strategy) << ", num_retries " << r.numRetries
      << ", max_fallbacks " << r.maxFallbacks << ", cooldown "
      << (r.cooldownsEnabled ? "after " + std::to_string(r.allowedFails) +
                                   " failures a minute, for " + seconds(r.cooldownTime)
                             : std::string("off"));
  if (r.backgroundHealthChecks) out << ", health checks every " << seconds(r.healthCheckInterval);
  out << "\n";
  for (const auto& [group, targets] : r.fallbacks) {
    out << "  fallbacks " << group << " ->";
    for (const auto& t : targets) out << " " << t;
    out << "\n";
  }
  if (!s.routerSettings.empty()) {
    out << "router_settings kept for routing:";
    for (const auto& entry : s.routerSettings) out << " " << entry.key();
    out << "\n";
  }
  if (!diagnostics.empty()) {
    out << "diagnostics (" << diagnostics.size() << "):\n";
    for (const auto& d : diagnostics) out << "  " << formatDiagnostic(d) << "\n";
  }
  return out.str();
}

}  // namespace switchyard
