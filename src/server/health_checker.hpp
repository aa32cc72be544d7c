#pragma once
// Background health checks (general_settings.background_health_checks): every
// health_check_interval, each deployment gets a one-token request; the outcome feeds the same
// breaker as live traffic, so a deployment that fails its checks cools down before a client
// meets it, and one that passes again is routed to before its cooldown ends.

#include <boost/asio/awaitable.hpp>

#include "core/async.hpp"

namespace switchyard {

class Worker;

// Runs on `worker`'s thread until the gateway drains; follows config reloads.
Task<void> runBackgroundHealthChecks(Worker& worker);

}  // namespace switchyard
