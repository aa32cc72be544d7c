#pragma once
// The model endpoints: parse, run the pipeline, try deployments in the router's order, and
// forward the answer (whole or streamed) while watching for the client going away.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string_view>

#include "core/async.hpp"
#include "stages/request_context.hpp"

namespace switchyard {

class Worker;
class Responder;

Task<void> proxyRequest(Worker& worker, Endpoint endpoint, std::string_view body,
                        RequestContext& ctx, TcpSocket& client, Responder& responder,
                        InboundFormat format = InboundFormat::kOpenAi);

}  // namespace switchyard
