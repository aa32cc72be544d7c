#pragma once
// POST /v1/messages/count_tokens: asked of the backend when its provider can count (Anthropic),
// estimated by the gateway otherwise.

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string_view>

#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "server/request_router.hpp"

namespace switchyard {

class Worker;
class Responder;

Task<void> countTokens(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                       const HttpRequest& request, Responder& responder, std::string requestId);

}  // namespace switchyard
