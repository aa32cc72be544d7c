#pragma once
// POST /v1/messages/count_tokens: asked of the backend when its provider can count (Anthropic),
// counted by the gateway otherwise: exactly with the tokenizer of an OpenAI-family model, as an
// estimate for the others (x-switchyard-token-count says which: exact, approximate, estimate).
// POST /v1/responses/input_tokens: counted by the gateway the same way.

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string_view>

#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "server/request_router.hpp"

namespace switchyard {

class Worker;
class Responder;

// `refusal` is the router's (a wrong method, a key the route's rule refuses): answered and
// counted here like every other count_tokens answer.
Task<void> countTokens(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                       const HttpRequest& request, Responder& responder, std::string requestId,
                       std::optional<Error> refusal);

Task<void> responsesInputTokens(const Snapshot& snapshot, const HttpRequest& request,
                                Responder& responder);

}  // namespace switchyard
