#pragma once
// GET /live/requests: the live request log (telemetry/live_log.hpp) as server-sent events, one
// `event: request` per finished request with its access-log line as data and its sequence as
// id. It starts with up to `?backlog=N` (default 100) of the latest lines still in the ring, or
// with those after a reconnecting browser's Last-Event-ID, and ends when the gateway drains.

#include "core/async.hpp"
#include "server/http_request.hpp"

namespace switchyard {

class Responder;
class Worker;

Task<void> streamLiveLog(Worker& worker, HttpRequest& request, Responder& responder);

}  // namespace switchyard
