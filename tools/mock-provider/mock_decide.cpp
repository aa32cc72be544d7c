// What to answer to one request, decided before any I/O: the mock's /mock/* controls, the
// request recorded for the stats, the key check, then the faults and the route's responder.
#include "tools/mock-provider/anthropic_responder.hpp"
#include "tools/mock-provider/gemini_responder.hpp"
#include "tools/mock-provider/mock_connection.hpp"
#include "tools/mock-provider/mock_form.hpp"
#include "tools/mock-provider/mock_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <ctime>

namespace switchyard::mock {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string MockServer::newId() {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id(29, '0');
  uint64_t bits = rng_();
  for (size_t i = 0; i < id.size(); ++i) {
    if (i % 10 == 0) bits = rng_();
    id[i] = kAlphabet[bits % 62];
    bits /= 62;
  }
  return id;
}

std::optional<Reply> MockServer::control(const Route& r, const std::string& body) {
  if (r.endpoint == Endpoint::kStats) return Reply{200, json::serialize(stats_->toJson()), 0};
  if (r.endpoint == Endpoint::kReset) {
    stats_->reset();
    return Reply{200, R"({"ok":true})", 0};
  }
  if (r.endpoint == Endpoint::kFaults) {
    boost::system::error_code ec;
    auto faults = json::parse(body, ec);
    if (ec || !faults.is_object()) return invalidJsonReply();
    stats_->setFaults(std::move(faults.get_object()));
    return Reply{200, R"({"ok":true})", 0};
  }
  return std::nullopt;
}

MockServer::Action MockServer::decide(Request& request) {
  auto& req = request.message;
  Action action;
  const Route r = route(req.method(), req.target());
  if (auto reply = control(r, req.body())) {
    action.reply = std::move(*reply);
    return action;
  }

  ++stats_->requests;
  json::value body;
  bool bodyIsObject = false;
  // A file upload is read as the object of its fields (mock_form.hpp).
  std::optional<json::object> form;
  if (req.method() == http::verb::post) {
    form = parseFormBody(req[http::field::content_type], req.body());
    boost::system::error_code ec;
    if (form) {
      body = *form;
    } else {
      body = json::parse(req.body(), ec);
    }
    bodyIsObject = !ec && body.is_object();
  }
  MockStats::LastRequest last;
  last.method = std::string(req.method_string());
  last.target = std::string(req.target());
  for (const auto& field : req) {
    last.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  }
  // The OAuth token endpoint reads a form body, not JSON: keep it before the stats take it.
  const std::string formBody = r.endpoint == Endpoint::kGoogleToken ? req.body() : std::string();
  last.body = std::move(req.body());
  if (form) last.form = json::serialize(*form);
  std::string model;
  if (bodyIsObject) {
    if (const auto* m = body.get_object().if_contains("model"); m && m->is_string()) {
      model = m->get_string();
    }
  }
  stats_->record(std::move(last), model);

  if (r.endpoint == Endpoint::kNotFound) {
    action.reply = errorReply(404,
                              "Invalid URL (" + std::string(req.method_string()) + " " +
                                  std::string(req.target().substr(0, req.target().find('?'))) + ")",
                              "invalid_request_error");
    return action;
  }
  if (r.endpoint == Endpoint::kGoogleToken) {
    // The token it grants is the key the mock requires, so Vertex requests then pass.
    const std::string token =
        options_.requireKey.empty() ? "mock-vertex-access-token" : options_.requireKey;
    action.reply = answerGoogleToken(formBody, token);
    return action;
  }
  if (r.endpoint == Endpoint::kAnthropicMessages || r.endpoint == Endpoint::kAnthropicCountTokens) {
    if (auto denied = anthropicAuthFailure(req, options_.requireKey)) {
      action.reply = std::move(*denied);
      return action;
    }
  }
  // Bedrock and SageMaker requests carry a SigV4 signature instead of a key; their responders
  // check that.
  if (!options_.requireKey.empty() && r.endpoint != Endpoint::kBedrock &&
      r.endpoint != Endpoint::kSageMaker && !authorized(req, options_.requireKey)) {
    const bool missing =
        req.find(http::field::authorization) == req.end() && req.find("api-key") == req.end();
    action.reply = errorReply(
        401,
        missing ? "You didn't provide an API key. You need to provide your API key in an "
                  "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                : "Incorrect API key provided. You can find your API key at "
                  "https://platform.openai.com/account/api-keys.",
        "invalid_request_error", {}, "invalid_api_key");
    return action;
  }
  // A cancel has no body.
  if (req.method() == http::verb::post && !bodyIsObject &&
      r.endpoint != Endpoint::kStoredResponse) {
    action.reply = invalidJsonReply();
    return action;
  }
  if (injectFaults(request, body, r.endpoint == Endpoint::kAnthropicMessages, action)) {
    return action;
  }

  const RequestKnobs& knobs = action.knobs;
  AnswerContext ctx;
  ctx.id = newId();
  ctx.created = int64_t(std::time(nullptr));
  ctx.modelOverride = r.deployment;
  ctx.completionTokens = knobs.completionTokens;
  ctx.content = knobs.content ? &*knobs.content : nullptr;
  ctx.omitUsage = knobs.omitUsage;
  const json::object noBody;  // a GET's
  Answer answer = answerFor(r, req.target(), req, bodyIsObject ? body.get_object() : noBody, ctx);
  const bool generates = r.endpoint == Endpoint::kChat || r.endpoint == Endpoint::kCompletions ||
                         r.endpoint == Endpoint::kResponses || r.endpoint == Endpoint::kOllamaChat;
  applyAnswerFaults(std::move(answer), generates, action);
  return action;
}

}  // namespace switchyard::mock
