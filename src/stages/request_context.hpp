#pragma once
// Everything the pipeline knows about one request, from arrival to the access-log line.

#include <boost/json/monotonic_resource.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "api/request.hpp"
#include "config/snapshot.hpp"
#include "core/error.hpp"

namespace switchyard {

struct RequestContext {
  // Backs the parsed request body: one buffer for all its JSON values, freed with the request.
  // Declared before `request` so that it outlives it.
  alignas(16) unsigned char arenaBuffer[4096];
  boost::json::monotonic_resource arena{arenaBuffer, sizeof arenaBuffer};

  std::shared_ptr<const Snapshot> snapshot;  // the config this request started with
  std::string requestId;
  std::string presentedKey;  // the key the client sent (Bearer, api-key or x-api-key), if any
  ApiRequest request{boost::json::storage_ptr(&arena)};
  std::shared_ptr<const Deployment> deployment;  // the one that answered (or was tried last)
  Usage usage;
  int status = 0;
  int attempts = 0;
  bool streamed = false;
  bool clientGone = false;
  std::string errorClass;  // set when the request failed
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point upstreamStart{};
  std::chrono::steady_clock::time_point firstByte{};
};

}  // namespace switchyard
