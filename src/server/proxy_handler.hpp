#pragma once
// The model endpoints: parse, run the pipeline, try deployments in the router's order, and
// forward the answer (whole or streamed) while watching for the client going away.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "core/async.hpp"
#include "server/http_request.hpp"
#include "stages/request_context.hpp"

namespace switchyard {

class Worker;
class Responder;

// Serves one model request: its context (snapshot, id, key, trace headers) is built here, in
// the coroutine that runs it. `request` must outlive the returned task.
Task<void> proxyRequest(Worker& worker, Endpoint endpoint, const HttpRequest& request,
                        std::shared_ptr<const Snapshot> snapshot, std::string requestId,
                        TcpSocket& client, Responder& responder,
                        InboundFormat format = InboundFormat::kOpenAi);

}  // namespace switchyard
