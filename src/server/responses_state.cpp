#include "server/responses_state.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/openai/responses_conversation.hpp"
#include "api/openai/responses_request.hpp"
#include "api/openai/responses_turn.hpp"
#include "governance/admin_api_body.hpp"
#include "governance/governance.hpp"
#include "providers/adapter.hpp"
#include "routing/attempt_executor.hpp"
#include "server/request_router.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"
#include "stages/auth/key_auth.hpp"
#include "store/responses_store.hpp"

namespace switchyard {

namespace json = boost::json;
namespace http = boost::beast::http;
using responses_state::responseNotFound;

std::optional<ResponsesCaller> responsesOwner(const Snapshot& snapshot,
                                              std::string_view presented) {
  std::string keyId;
  if (checkGatewayKey(snapshot, presented, &keyId)) return std::nullopt;
  if (keyId.empty()) return ResponsesCaller{snapshot.masterKey.empty() ? "open" : "master", {}};
  ResponsesCaller caller{"key:" + keyId, {}};
  // The key's team now: kept with what it stores, compared with what it asks for.
  if (Governance* g = snapshot.governanceService.get()) {
    if (auto key = g->registry().find(PrincipalKind::kKey, keyId)) caller.team = key->teamId;
  }
  return caller;
}

std::optional<Error> beginResponsesTurn(RequestContext& ctx) {
  ResponsesStore* store = ctx.snapshot->responsesStoreService.get();
  if (!store) return std::nullopt;
  const json::object& echo = ctx.request.clientEcho;
  const auto* storeField = echo.if_contains("store");
  const bool keep = !(storeField && storeField->is_bool() && !storeField->get_bool());
  const auto* previous = echo.if_contains("previous_response_id");
  const bool continues = previous && previous->is_string();
  if (!keep && !continues) return std::nullopt;
  auto caller = responsesOwner(*ctx.snapshot, ctx.presentedKey);
  if (!caller) return std::nullopt;  // the auth stage refuses the key
  auto turn = std::make_shared<ResponsesTurn>();
  turn->keep = keep;
  turn->owner = std::move(caller->owner);
  turn->team = std::move(caller->team);
  if (continues) turn->previousId = previous->get_string();
  ctx.responsesTurn = std::move(turn);
  return std::nullopt;
}

Task<std::optional<Error>> continueResponsesTurn(RequestContext& ctx, std::string_view body) {
  ResponsesTurn& turn = *ctx.responsesTurn;
  // The snapshot the request holds keeps the store.
  ResponsesStore& store = *ctx.snapshot->responsesStoreService;
  const std::string id = turn.previousId;
  // A named caller: GCC 12 copies a braced temporary into the callee's frame wrongly.
  ResponsesCaller caller{turn.owner, turn.team};
  ResponsesLookup found = co_await store.lookup(id, caller);
  if (found.error) co_return found.error;
  if (found.another) co_return responseNotFound(id, true);
  // Issued by a native upstream (or unknown here): the request keeps it, for such an upstream.
  if (!found.found || found.found->native()) co_return std::nullopt;
  auto text = responses_state::continueConversation(body, *found.found);
  if (!text) co_return text.error();
  turn.body = std::move(*text);
  auto parsed = parseResponsesRequest(turn.body, json::storage_ptr(&ctx.arena));
  if (!parsed) co_return parsed.error();
  ctx.request = std::move(*parsed);
  ctx.request.clientEcho["previous_response_id"] = id;
  turn.previous = std::move(found.found);
  co_return std::nullopt;
}

namespace {

std::string_view stringOf(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

}  // namespace

void finishResponsesTurn(RequestContext& ctx, std::string_view body) {
  ResponsesTurn* turn = ctx.responsesTurn.get();
  ResponsesStore* store = ctx.snapshot->responsesStoreService.get();
  if (!turn || !turn->keep || turn->answer.empty() || ctx.status != 200 || !store) return;
  boost::system::error_code ec;
  json::value answer = json::parse(turn->answer, ec);
  if (ec || !answer.is_object()) return;
  // A stream's terminal event carries the Response; a whole answer is one.
  json::object* response = &answer.get_object();
  if (auto* inner = response->if_contains("response"); inner && inner->is_object()) {
    response = &inner->get_object();
  }
  StoredResponse r;
  r.id = stringOf(*response, "id");
  if (r.id.empty()) return;
  r.owner = turn->owner;
  r.team = turn->team;
  if (const auto* created = response->if_contains("created_at"); created && created->is_int64()) {
    r.createdAt = created->get_int64();
  }
  r.model = ctx.request.model;
  if (turn->native) {
    // The upstream keeps it; the gateway keeps who may use it and where it lives.
    if (!ctx.deployment) return;
    r.deployment = ctx.deployment->id;
  } else {
    json::value request = json::parse(body, ec);
    const json::value* input =
        !ec && request.is_object() ? request.get_object().if_contains("input") : nullptr;
    json::array items = responses_state::inputItems(input ? *input : json::value(), r.id);
    if (turn->previous) {
      auto earlier = responses_state::conversationItems(*turn->previous);
      if (!earlier) return;
      for (auto& item : items) earlier->push_back(std::move(item));
      items = std::move(*earlier);
    }
    r.inputItems = json::serialize(items);
    r.response =
        response == &answer.get_object() ? std::move(turn->answer) : json::serialize(*response);
  }
  store->put(std::move(r), ResponsesStore::wallMs());
}

namespace {

struct StoredResponsePath {
  std::string_view id;
  std::string_view action;  // "", "input_items", "cancel"
};

std::optional<StoredResponsePath> splitPath(std::string_view path) {
  for (std::string_view prefix : {"/v1/responses/", "/responses/"}) {
    if (!path.starts_with(prefix)) continue;
    std::string_view rest = path.substr(prefix.size());
    StoredResponsePath out;
    const size_t slash = rest.find('/');
    out.id = rest.substr(0, slash);
    if (slash != std::string_view::npos) out.action = rest.substr(slash + 1);
    if (out.id.empty() || out.id == "input_tokens") return std::nullopt;
    if (!out.action.empty() && out.action != "input_items" && out.action != "cancel") {
      return std::nullopt;
    }
    return out;
  }
  return std::nullopt;
}

constexpr size_t kMaxForwardedAnswer = 16 * 1024 * 1024;

// A response a native upstream stores: asked of the deployment that made it, the answer passed on
// as it came. A delete it confirms is forgotten here too.
Task<void> forwardToUpstream(Worker& worker, std::shared_ptr<const Deployment> deployment,
                             UpstreamRequest request, Responder& responder,
                             std::shared_ptr<ResponsesStore> store, std::string id,
                             ResponsesCaller caller) {
  const bool deleting = request.method == "DELETE";
  auto answered = co_await callUpstream(worker.pool(), *deployment, std::move(request), {},
                                        kMaxForwardedAnswer);
  if (!answered) {
    const Error e = answered.error();
    co_await responder.sendError(e, InboundFormat::kOpenAi);
    co_return;
  }
  if (deleting) store->remove(id, caller, ResponsesStore::wallMs());
  co_await responder.send(200, std::move(*answered));
}

std::shared_ptr<const Deployment> deploymentById(const Snapshot& snapshot, std::string_view id) {
  for (const auto& d : snapshot.deployments) {
    if (d->id == id) return d;
  }
  return nullptr;
}

// GCC 12 cannot keep an initializer list's array in a coroutine frame: these are built outside.
std::string deletedBody(const std::string& id) {
  return json::serialize(json::object{{"id", id}, {"object", "response"}, {"deleted", true}});
}

std::optional<UpstreamRequest> nativeRequest(const Deployment& deployment, http::verb method,
                                             const std::string& suffix, std::string_view query) {
  const std::string_view verb = method == http::verb::get       ? "GET"
                                : method == http::verb::delete_ ? "DELETE"
                                                                : "POST";
  return adapterFor(deployment.format).buildStoredResponseRequest(verb, suffix, query, deployment);
}

}  // namespace

bool isStoredResponsePath(std::string_view path) { return splitPath(path).has_value(); }

Task<void> serveStoredResponse(Worker& worker, const Snapshot& snapshot, const HttpRequest& request,
                               Responder& responder, std::string_view path) {
  // The session holds the snapshot and the request until this is done.
  const auto where = splitPath(path);
  const http::verb method = request.method();
  const http::verb wanted = where->action == "cancel" ? http::verb::post
                            : where->action.empty() && method == http::verb::delete_
                                ? http::verb::delete_
                                : http::verb::get;
  if (method != wanted) {
    co_await responder.sendError(methodNotAllowed(path), InboundFormat::kOpenAi);
    co_return;
  }
  auto caller = responsesOwner(snapshot, presentedKey(request));
  const std::shared_ptr<ResponsesStore> store = snapshot.responsesStoreService;
  const std::string id(where->id);
  ResponsesLookup lookup;
  if (caller && store) lookup = co_await store->lookup(id, *caller);
  if (lookup.error) {
    co_await responder.sendError(*lookup.error, InboundFormat::kOpenAi);
    co_return;
  }
  const auto found = std::move(lookup.found);
  if (!found) {
    co_await responder.sendError(responseNotFound(id, false), InboundFormat::kOpenAi);
    co_return;
  }
  const std::string_view target = request.target();
  const auto q = target.find('?');
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  if (found->native()) {
    // Its upstream stores it: asked there, if the deployment that made it is still configured.
    auto deployment = deploymentById(snapshot, found->deployment);
    std::string suffix = id;
    if (!where->action.empty()) suffix.append("/").append(where->action);
    auto upstream = deployment ? nativeRequest(*deployment, method, suffix,
                                               where->action == "input_items" ? query : "")
                               : std::nullopt;
    if (!upstream) {
      co_await responder.sendError(responseNotFound(id, false), InboundFormat::kOpenAi);
      co_return;
    }
    co_await forwardToUpstream(worker, std::move(deployment), std::move(*upstream), responder,
                               store, id, *caller);
    co_return;
  }
  if (where->action == "cancel") {
    // Only a background response can be cancelled, and the gateway makes none.
    co_await responder.sendError(
        Error::make(ErrorClass::kBadRequest, "Cannot cancel a synchronous response.", {},
                    "invalid_request_error"),
        InboundFormat::kOpenAi);
    co_return;
  }
  if (where->action == "input_items") {
    responses_state::PageQuery page{
        admin_api::queryParam(query, "limit"), admin_api::queryParam(query, "order"),
        admin_api::queryParam(query, "after"), admin_api::queryParam(query, "before")};
    auto listed = responses_state::inputItemsPage(*found, page);
    if (!listed) {
      co_await responder.sendError(listed.error(), InboundFormat::kOpenAi);
      co_return;
    }
    co_await responder.send(200, std::move(*listed));
    co_return;
  }
  if (method == http::verb::delete_) {
    store->remove(id, *caller, ResponsesStore::wallMs());
    co_await responder.send(200, deletedBody(id));
    co_return;
  }
  co_await responder.send(200, std::string(found->response));
}

}  // namespace switchyard
