#pragma once
// The state of the Responses API for every backend: previous_response_id continued from the
// gateway's store, answers stored after they went out (store not false), and the routes that read
// the store: GET / DELETE /v1/responses/{id}, GET /v1/responses/{id}/input_items and POST
// /v1/responses/{id}/cancel.
//
// A stored response belongs to who created it: the virtual key (by its hash), else the master key,
// else, on a gateway without authentication, everyone; with responses_store_scope: team the other
// keys of the creating key's team may use it too, with global every key. Anyone else gets "not
// found" (404), never "forbidden": its existence is not given away.

#include <optional>
#include <string>
#include <string_view>

#include "api/openai/responses_turn.hpp"
#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "server/http_request.hpp"
#include "stages/request_context.hpp"

namespace switchyard {

class Responder;
class Worker;

// Who the presented key stores responses as, and its key's team; nullopt when the key is refused.
std::optional<ResponsesCaller> responsesOwner(const Snapshot& snapshot, std::string_view presented);

// Right after a /v1/responses body was decoded into ctx.request: notes whether its answer is
// stored and which previous_response_id it continues (ctx.responsesTurn, null when neither).
std::optional<Error> beginResponsesTurn(RequestContext& ctx);
// Whether the request names a previous_response_id, for continueResponsesTurn.
inline bool continuesResponse(const RequestContext& ctx) {
  return ctx.responsesTurn && !ctx.responsesTurn->previousId.empty();
}
// Continues the stored conversation previous_response_id names when the gateway issued it
// (ctx.request is decoded again from the whole conversation), reading the store's table when
// this instance does not hold it. An id the caller has no response by, in the gateway's store or
// as one a native upstream issued to it, stays in the request: only a Responses-native upstream
// may know it; every other backend answers 404. The error is for a conversation that cannot be
// continued (another key's, a store that cannot be read).
Task<std::optional<Error>> continueResponsesTurn(RequestContext& ctx, std::string_view body);

// After the answer went out: stores it (with the request's whole conversation), when it was kept.
// `body` is the request as the client sent it.
void finishResponsesTurn(RequestContext& ctx, std::string_view body);

// Whether `path` is one of /v1/responses/{id}[/input_items | /cancel] (or without /v1).
bool isStoredResponsePath(std::string_view path);
// Serves it from the store, or (a response a native upstream issued and stores) from the
// deployment that made it; the key was checked by the route, its ownership is checked here.
Task<void> serveStoredResponse(Worker& worker, const Snapshot& snapshot, const HttpRequest& request,
                               Responder& responder, std::string_view path);

}  // namespace switchyard
