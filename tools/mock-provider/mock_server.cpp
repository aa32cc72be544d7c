#include "tools/mock-provider/mock_server.hpp"

#include "tools/mock-provider/anthropic_responder.hpp"
#include "tools/mock-provider/bedrock_responder.hpp"
#include "tools/mock-provider/chat_responder.hpp"
#include "tools/mock-provider/cohere_responder.hpp"
#include "tools/mock-provider/completion_responder.hpp"
#include "tools/mock-provider/embeddings.hpp"
#include "tools/mock-provider/gemini_responder.hpp"
#include "tools/mock-provider/models.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <ctime>
#include <optional>

namespace switchyard::mock {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr uint64_t kMaxBodyBytes = 64 * 1024 * 1024;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

enum class Endpoint {
  kChat,
  kCompletions,
  kEmbeddings,
  kBedrock,               // POST /model/{id}/converse | converse-stream | invoke
  kCohereChat,            // POST /v2/chat
  kCohereEmbed,           // POST /v2/embed
  kAnthropicMessages,     // POST /v1/messages
  kAnthropicCountTokens,  // POST /v1/messages/count_tokens
  kGoogle,                // POST .../models/{model}:generateContent etc. (Gemini and Vertex URLs)
  kGoogleToken,           // POST /token (OAuth token for Vertex service accounts)
  kModels,
  kModel,
  kStats,
  kReset,
  kFaults,
  kNotFound
};

struct Route {
  Endpoint endpoint = Endpoint::kNotFound;
  std::string deployment;    // Azure: /openai/deployments/{deployment}/...
  std::string modelId;       // GET /v1/models/{id}
  std::string bedrockModel;  // POST /model/{id}/{action}
  std::string bedrockAction;
};

Route route(http::verb method, std::string_view target) {
  Route r;
  std::string_view path = target.substr(0, target.find('?'));
  if (method == http::verb::post && parseBedrockPath(path, r.bedrockModel, r.bedrockAction)) {
    r.endpoint = Endpoint::kBedrock;
    return r;
  }
  if (method == http::verb::post && (isGooglePath(path) || path == "/token")) {
    r.endpoint = path == "/token" ? Endpoint::kGoogleToken : Endpoint::kGoogle;
    return r;
  }
  if (method == http::verb::post && (path == "/v2/chat" || path == "/v2/embed")) {
    r.endpoint = path == "/v2/chat" ? Endpoint::kCohereChat : Endpoint::kCohereEmbed;
    return r;
  }
  if (path.starts_with("/v1/")) {
    path.remove_prefix(3);
  } else if (path.starts_with("/openai/deployments/")) {
    path.remove_prefix(std::string_view("/openai/deployments/").size());
    const size_t slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0) return r;
    r.deployment = std::string(path.substr(0, slash));
    path.remove_prefix(slash);
  } else if (path.starts_with("/openai/")) {
    path.remove_prefix(7);
  }
  const bool post = method == http::verb::post;
  const bool get = method == http::verb::get;
  if (post && path == "/chat/completions") {
    r.endpoint = Endpoint::kChat;
  } else if (post && path == "/completions") {
    r.endpoint = Endpoint::kCompletions;
  } else if (post && path == "/embeddings") {
    r.endpoint = Endpoint::kEmbeddings;
  } else if (post && path == "/messages") {
    r.endpoint = Endpoint::kAnthropicMessages;
  } else if (post && path == "/messages/count_tokens") {
    r.endpoint = Endpoint::kAnthropicCountTokens;
  } else if (get && path == "/models") {
    r.endpoint = Endpoint::kModels;
  } else if (get && path.starts_with("/models/") && path.size() > 8) {
    r.endpoint = Endpoint::kModel;
    r.modelId = std::string(path.substr(8));
  } else if (get && path == "/mock/stats" && r.deployment.empty()) {
    r.endpoint = Endpoint::kStats;
  } else if (post && path == "/mock/reset" && r.deployment.empty()) {
    r.endpoint = Endpoint::kReset;
  } else if (post && path == "/mock/faults" && r.deployment.empty()) {
    r.endpoint = Endpoint::kFaults;
  }
  return r;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

bool authorized(const http::fields& headers, const std::string& key) {
  if (auto it = headers.find("api-key"); it != headers.end() && it->value() == key) return true;
  if (auto it = headers.find("x-api-key"); it != headers.end() && it->value() == key) return true;
  if (auto it = headers.find("x-goog-api-key"); it != headers.end() && it->value() == key) {
    return true;
  }
  auto it = headers.find(http::field::authorization);
  if (it == headers.end()) return false;
  std::string_view value = it->value();
  return value.size() == key.size() + 7 && beast::iequals(value.substr(0, 7), "bearer ") &&
         value.substr(7) == key;
}

void appendChunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  char hex[16];
  auto [end, ec] = std::to_chars(hex, hex + sizeof hex, data.size(), 16);
  out.append(hex, end);
  out.append("\r\n");
  out.append(data);
  out.append("\r\n");
}

}  // namespace

struct MockServer::Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
  tcp::socket socket;
  asio::steady_timer timer;
};

struct MockServer::Request {
  http::request<http::string_body> message;
};

namespace {

// Notices a client that hangs up while the mock delays or paces its answer (a gateway cancelling
// a request), by cancelling the connection's timer, instead of only at the next write.
class CloseWatch {
 public:
  CloseWatch(tcp::socket& socket, asio::steady_timer& timer)
      : socket_(socket), state_(std::make_shared<State>()) {
    arm(socket_, timer, state_);
  }
  ~CloseWatch() {
    // The cancelled wait completes later; `active` tells its handler that the connection may
    // be gone by then.
    state_->active = false;
    boost::system::error_code ec;
    socket_.cancel(ec);
  }
  CloseWatch(const CloseWatch&) = delete;
  CloseWatch& operator=(const CloseWatch&) = delete;

  bool closed() const { return state_->closed; }

 private:
  struct State {
    bool active = true;
    bool closed = false;
  };

  static void arm(tcp::socket& socket, asio::steady_timer& timer, std::shared_ptr<State> state) {
    socket.async_wait(
        tcp::socket::wait_read, [&socket, &timer, state](const boost::system::error_code& ec) {
          if (!state->active || ec == asio::error::operation_aborted) return;
          char byte;
          const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
          if (n > 0) return;  // a pipelined next request: the client is still there
          if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !ec) {
            arm(socket, timer, state);
            return;
          }
          state->closed = true;
          timer.cancel();
        });
  }

  tcp::socket& socket_;
  std::shared_ptr<State> state_;
};

}  // namespace

MockServer::MockServer(asio::io_context& ioc, MockOptions options, std::shared_ptr<MockStats> stats)
    : ioc_(ioc),
      options_(std::move(options)),
      stats_(stats ? std::move(stats) : std::make_shared<MockStats>()),
      acceptor_(ioc),
      rng_(options_.seed) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  tcp::endpoint endpoint;
  if (!ec) {
    endpoint = tcp::endpoint(address, options_.port);
  } else {
    tcp::resolver resolver(ioc);
    endpoint = *resolver.resolve(options_.host, std::to_string(options_.port)).begin();
  }
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  if (options_.reusePort) acceptor_.set_option(ReusePort(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void MockServer::start() { asio::co_spawn(ioc_, acceptLoop(), asio::detached); }

void MockServer::stop() {
  asio::post(ioc_, [this] {
    stopped_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (Connection* conn : connections_) {
      conn->socket.shutdown(tcp::socket::shutdown_both, ec);
      conn->socket.close(ec);
      conn->timer.cancel();
    }
  });
}

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

asio::awaitable<void> MockServer::acceptLoop() {
  while (!stopped_) {
    auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
    if (stopped_ || ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning.
      asio::steady_timer pause(ioc_, std::chrono::milliseconds(10));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(ioc_, serve(std::make_shared<Connection>(std::move(socket))), asio::detached);
  }
}

asio::awaitable<void> MockServer::serve(std::shared_ptr<Connection> conn) {
  connections_.insert(conn.get());
  ++stats_->openConnections;
  try {
    co_await serveRequests(*conn);
  } catch (const std::exception&) {
    // The connection is dropped below; the mock keeps serving others.
  }
  boost::system::error_code ec;
  conn->socket.shutdown(tcp::socket::shutdown_both, ec);
  conn->socket.close(ec);
  conn->timer.cancel();
  connections_.erase(conn.get());
  --stats_->openConnections;
}

asio::awaitable<void> MockServer::serveRequests(Connection& conn) {
  beast::flat_buffer buffer;
  while (!stopped_) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    auto [ec, n] = co_await http::async_read_header(conn.socket, buffer, parser, kUseTuple);
    if (!ec && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!co_await writeRaw(conn, kContinue)) co_return;
    }
    if (!ec) std::tie(ec, n) = co_await http::async_read(conn.socket, buffer, parser, kUseTuple);
    if (ec) {
      Reply reply;
      if (ec == http::error::body_limit) {
        reply = statusReply(413, 0);
      } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message) {
        reply = errorReply(400, "Malformed HTTP request.", "invalid_request_error");
      }
      if (!reply.body.empty()) co_await writeReply(conn, reply, false);
      co_return;
    }
    Request req{parser.release()};
    const bool again = co_await handle(conn, req);
    if (!again) co_return;
  }
}

MockServer::Action MockServer::decide(Request& request) {
  auto& req = request.message;
  Action action;
  const Route r = route(req.method(), req.target());
  if (r.endpoint == Endpoint::kStats) {
    action.reply = Reply{200, json::serialize(stats_->toJson()), 0};
    return action;
  }
  if (r.endpoint == Endpoint::kReset) {
    stats_->reset();
    action.reply = Reply{200, R"({"ok":true})", 0};
    return action;
  }
  if (r.endpoint == Endpoint::kFaults) {
    boost::system::error_code ec;
    auto faults = json::parse(req.body(), ec);
    if (ec || !faults.is_object()) {
      action.reply = invalidJsonReply();
      return action;
    }
    stats_->setFaults(std::move(faults.get_object()));
    action.reply = Reply{200, R"({"ok":true})", 0};
    return action;
  }

  ++stats_->requests;
  json::value body;
  bool bodyIsObject = false;
  if (req.method() == http::verb::post) {
    boost::system::error_code ec;
    body = json::parse(req.body(), ec);
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
  stats_->record(std::move(last));

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
  // Bedrock requests carry a SigV4 signature instead of a key; its responder checks that.
  if (!options_.requireKey.empty() && r.endpoint != Endpoint::kBedrock &&
      !authorized(req, options_.requireKey)) {
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
  if (req.method() == http::verb::post && !bodyIsObject) {
    action.reply = invalidJsonReply();
    return action;
  }

  RequestKnobs& knobs = action.knobs;
  knobs = defaultKnobs(options_);
  const json::object faults = stats_->faults();
  applyBodyKnobs(faults, knobs);
  double errorRate = options_.errorRate;
  int errorStatus = options_.errorStatus;
  if (const auto* v = faults.if_contains("error_rate"); v && v->is_number()) {
    errorRate = v->to_number<double>();
  }
  if (const auto* v = faults.if_contains("error_status"); v && v->is_int64()) {
    errorStatus = int(v->get_int64());
  }
  applyHeaderKnobs(req, knobs);
  if (bodyIsObject) {
    if (const auto* mock = body.get_object().if_contains("mock"); mock && mock->is_object()) {
      applyBodyKnobs(mock->get_object(), knobs);
    }
  }
  if (knobs.status == 200 && errorRate > 0 &&
      std::uniform_real_distribution<double>(0, 1)(rng_) < errorRate) {
    knobs.status = errorStatus;
  }
  action.delayMs = knobs.latencyMs;
  if (options_.stallRate > 0 &&
      std::uniform_real_distribution<double>(0, 1)(rng_) < options_.stallRate) {
    action.delayMs += options_.stallMs;
    ++stats_->stalledRequests;
  }
  if (knobs.status != 200 && r.endpoint == Endpoint::kAnthropicMessages) {
    action.reply = anthropicStatusReply(unsigned(knobs.status), knobs.retryAfterSeconds);
    return action;
  }
  if (knobs.status != 200) {
    action.reply = statusReply(unsigned(knobs.status), knobs.retryAfterSeconds);
    return action;
  }

  AnswerContext ctx;
  ctx.id = newId();
  ctx.created = int64_t(std::time(nullptr));
  ctx.modelOverride = r.deployment;
  ctx.completionTokens = knobs.completionTokens;
  ctx.content = knobs.content ? &*knobs.content : nullptr;

  Answer answer;
  switch (r.endpoint) {
    case Endpoint::kChat:
      answer = answerChat(body.get_object(), ctx);
      break;
    case Endpoint::kCompletions:
      answer = answerCompletion(body.get_object(), ctx);
      break;
    case Endpoint::kAnthropicMessages:
      answer = answerAnthropicMessages(body.get_object(), ctx);
      break;
    case Endpoint::kAnthropicCountTokens:
      answer.reply = answerAnthropicCountTokens(body.get_object());
      break;
    case Endpoint::kEmbeddings:
      answer.reply = answerEmbeddings(body.get_object(), r.deployment);
      break;
    case Endpoint::kBedrock:
      answer = answerBedrock(r.bedrockModel, r.bedrockAction, req, body.get_object(), ctx);
      break;
    case Endpoint::kCohereChat:
      answer = answerCohereChat(body.get_object(), ctx);
      break;
    case Endpoint::kCohereEmbed:
      answer.reply = answerCohereEmbed(body.get_object());
      break;
    case Endpoint::kGoogle:
      answer = answerGoogle(req.target(), body.get_object(), ctx);
      break;
    case Endpoint::kModels:
      answer.reply = modelList();
      break;
    default:
      answer.reply = modelObject(r.modelId);
      break;
  }
  const bool generates = r.endpoint == Endpoint::kChat || r.endpoint == Endpoint::kCompletions;
  if (answer.stream) {
    action.kind = Action::kStream;
    action.plan = std::move(answer.plan);
    if (knobs.garbage) {
      action.plan.content.clear();
      action.plan.tail.clear();
      appendEvent(action.plan.tail, "{\"id\": mock garbage, this is not JSON");
      appendEvent(action.plan.tail, "[DONE]");
    }
    return action;
  }
  if (generates && answer.reply.status == 200 && knobs.disconnectAfterChunks >= 0) {
    // A whole answer has no chunks to cut between: drop the connection without answering.
    action.kind = Action::kClose;
    return action;
  }
  action.reply = std::move(answer.reply);
  if (knobs.garbage && action.reply.status == 200) {
    action.reply.body = "mock garbage: this is not JSON {";
  }
  return action;
}

// GCC 12 mishandles non-trivial temporaries inside co_await expressions, so the coroutines here
// only await on named locals and the request is decided by the plain function above.
asio::awaitable<bool> MockServer::handle(Connection& conn, Request& request) {
  const bool keepAlive = request.message.keep_alive();
  Action action;
  try {
    action = decide(request);
  } catch (const std::exception&) {
    action = Action{};
    action.reply = statusReply(500, 0);
  }
  const bool waits =
      action.delayMs > 0 || action.knobs.ttftMs > 0 || action.knobs.tokensPerSecond > 0;
  std::optional<CloseWatch> watch;
  if (waits) watch.emplace(conn.socket, conn.timer);
  if (action.delayMs > 0) {
    const auto until = Clock::now() + std::chrono::milliseconds(action.delayMs);
    if (!co_await sleepUntil(conn, until)) {
      if (watch->closed()) ++stats_->abandonedRequests;
      co_return false;
    }
  }
  if (action.kind == Action::kClose) co_return false;
  if (action.kind == Action::kStream) {
    const bool again = co_await writeStream(conn, action.plan, action.knobs, keepAlive);
    co_return again;
  }
  const bool again = co_await writeReply(conn, action.reply, keepAlive);
  co_return again;
}

asio::awaitable<bool> MockServer::writeReply(Connection& conn, const Reply& reply, bool keepAlive) {
  http::response<http::string_body> res;
  res.version(11);
  res.result(reply.status);
  res.set(http::field::content_type, "application/json");
  res.set("x-request-id", "req_mock");
  if (reply.retryAfterSeconds > 0) {
    res.set(http::field::retry_after, std::to_string(reply.retryAfterSeconds));
  }
  res.keep_alive(keepAlive);
  res.body() = reply.body;
  res.prepare_payload();
  auto [ec, n] = co_await http::async_write(conn.socket, res, kUseTuple);
  co_return !ec && keepAlive;
}

asio::awaitable<bool> MockServer::writeRaw(Connection& conn, const std::string& data) {
  auto [ec, n] = co_await asio::async_write(conn.socket, asio::buffer(data), kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> MockServer::sleepUntil(Connection& conn, Clock::time_point until) {
  if (stopped_) co_return false;
  conn.timer.expires_at(until);
  auto [ec] = co_await conn.timer.async_wait(kUseTuple);
  co_return !ec && !stopped_;
}

asio::awaitable<bool> MockServer::writeStream(Connection& conn, StreamPlan& plan,
                                              const RequestKnobs& knobs, bool keepAlive) {
  std::string out =
      "HTTP/1.1 200 OK\r\nContent-Type: " +
      (plan.contentType.empty() ? std::string("text/event-stream; charset=utf-8")
                                : plan.contentType) +
      "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\nx-request-id: req_mock\r\n";
  out.append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
  appendChunk(out, plan.head);

  // Unpaced streams go out in one write (still one HTTP chunk per event) to keep the mock cheap
  // as a benchmark upstream; paced ones event by event.
  const bool paced = knobs.ttftMs > 0 || knobs.tokensPerSecond > 0;
  auto abort = [&] {
    if (!stopped_) ++stats_->abortedStreams;
    return false;
  };
  if (paced) {
    if (!co_await writeRaw(conn, out)) co_return abort();
    out.clear();
  }
  const size_t total = plan.content.size();
  const bool cut = knobs.disconnectAfterChunks >= 0 && size_t(knobs.disconnectAfterChunks) <= total;
  const size_t count = cut ? size_t(knobs.disconnectAfterChunks) : total;
  const auto start = Clock::now() + std::chrono::milliseconds(knobs.ttftMs);
  const std::chrono::duration<double> interval(
      knobs.tokensPerSecond > 0 ? 1.0 / knobs.tokensPerSecond : 0.0);
  for (size_t i = 0; i < count; ++i) {
    appendChunk(out, plan.content[i]);
    if (!paced) continue;
    const auto at = start + std::chrono::duration_cast<Clock::duration>(interval * double(i));
    if (!co_await sleepUntil(conn, at)) co_return abort();
    if (!co_await writeRaw(conn, out)) co_return abort();
    out.clear();
  }
  if (cut) {
    if (!out.empty()) co_await writeRaw(conn, out);
    ++stats_->disconnectedStreams;
    co_return false;
  }
  appendChunk(out, plan.tail);
  out.append("0\r\n\r\n");
  if (!co_await writeRaw(conn, out)) co_return abort();
  ++stats_->completedStreams;
  co_return keepAlive;
}

}  // namespace switchyard::mock
