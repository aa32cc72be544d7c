#include "client/upstream_pool.hpp"
#include "core/async.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace switchyard {

namespace {

Error connectError(const Url& url, std::string_view what, const boost::system::error_code& ec) {
  return Error::make(ErrorClass::kConnectFailed,
                     std::string(what) + " " + url.origin() + " failed: " + ec.message(), {},
                     "upstream_connect_failed");
}

// A refused certificate says why (self-signed, expired, unknown issuer), which the handshake's
// own error ("certificate verify failed") does not.
Error handshakeError(const Url& url, SSL* ssl, const boost::system::error_code& ec) {
  Error e = connectError(url, "TLS handshake with", ec);
  if (const long v = SSL_get_verify_result(ssl); v != X509_V_OK) {
    e.message +=
        std::string("; certificate verification failed: ") + X509_verify_cert_error_string(v);
  }
  return e;
}

// Verifying the peer, TLS 1.2 or later; the trusted CAs are the caller's to load.
std::shared_ptr<asio::ssl::context> verifyingContext() {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  ctx->set_verify_mode(asio::ssl::verify_peer);
  return ctx;
}
}  // namespace

std::shared_ptr<asio::ssl::context> makeClientTlsContext() {
  auto ctx = verifyingContext();
  ctx->set_default_verify_paths();
  return ctx;
}

Result<std::shared_ptr<asio::ssl::context>> makeClientTlsContext(const std::string& caFile) {
  if (caFile.empty()) return makeClientTlsContext();
  auto ctx = verifyingContext();
  boost::system::error_code ec;
  ctx->load_verify_file(caFile, ec);
  if (ec) {
    return Error::make(ErrorClass::kInternal,
                       "cannot load the CA file '" + caFile + "': " + ec.message());
  }
  return ctx;
}

UpstreamPool::UpstreamPool(Executor ex, std::shared_ptr<asio::ssl::context> tls,
                           PoolSettings settings)
    : ex_(ex), tls_(std::move(tls)), settings_(settings), resolver_(ex), deadlines_(ex) {}

Task<Result<TcpResolver::results_type>> UpstreamPool::resolve(const Url& url) {
  const std::string key = url.host + ":" + std::to_string(url.port);
  const auto now = std::chrono::steady_clock::now();
  if (auto it = dns_.find(key); it != dns_.end() && it->second.expires > now) {
    co_return it->second.results;
  }
  const std::string port = std::to_string(url.port);
  auto [ec, results] = co_await resolver_.async_resolve(url.host, port, kUseTuple);
  if (ec) co_return connectError(url, "resolving", ec);
  dns_[key] = DnsEntry{results, now + settings_.dnsTtl};
  co_return results;
}

std::unique_ptr<UpstreamConnection> UpstreamPool::takeIdle(const Url& url) {
  auto it = idle_.find(url.origin());
  if (it == idle_.end()) return nullptr;
  auto& list = it->second;
  OriginPoolCounters& counts = stats_.origin(it->first);
  const auto now = CoarseClock::now();
  while (!list.empty()) {
    auto conn = std::move(list.back());
    list.pop_back();
    --counts.idle;
    if (now - conn->idleSince < settings_.idleTimeout && conn->socket().is_open()) {
      ++counts.reused;
      return conn;
    }
  }
  return nullptr;
}

Task<Result<std::unique_ptr<UpstreamConnection>>> UpstreamPool::connect(const Url& url) {
  auto endpoints = co_await resolve(url);
  if (!endpoints) co_return endpoints.error();
  std::unique_ptr<UpstreamConnection> conn =
      url.tls ? std::make_unique<UpstreamConnection>(ex_, deadlines_, *tls_, url.origin())
              : std::make_unique<UpstreamConnection>(ex_, deadlines_, url.origin());
  conn->deadline().expiresAfter(settings_.connectTimeout);
  auto [ec, ep] = co_await asio::async_connect(conn->socket(), *endpoints, kUseTuple);
  if (ec) {
    if (conn->deadline().expired()) ec = asio::error::timed_out;
    dns_.erase(url.host + ":" + std::to_string(url.port));
    co_return connectError(url, "connecting to", ec);
  }
  conn->socket().set_option(asio::ip::tcp::no_delay(true), ec);
  if (settings_.sendBufferBytes > 0) {
    conn->socket().set_option(asio::socket_base::send_buffer_size(settings_.sendBufferBytes), ec);
  }
  // For the exchange's writeNow on plain connections; Asio's asynchronous operations, TLS's
  // included, ignore the flag.
  conn->socket().non_blocking(true, ec);
  if (auto* tls = conn->tls()) {
    // SNI and host name verification; certificate chain checks come from the context.
    if (!SSL_set_tlsext_host_name(tls->native_handle(), url.host.c_str())) {
      co_return Error::make(ErrorClass::kConnectFailed, "cannot set TLS SNI for " + url.host);
    }
    tls->set_verify_callback(asio::ssl::host_name_verification(url.host));
    auto [hec] = co_await tls->async_handshake(asio::ssl::stream_base::client, kUseTuple);
    if (hec && conn->deadline().expired()) hec = asio::error::timed_out;
    if (hec) co_return handshakeError(url, tls->native_handle(), hec);
  }
  conn->deadline().expiresNever();
  ++stats_.origin(url.origin()).opened;
  co_return std::move(conn);
}

void UpstreamPool::release(std::unique_ptr<UpstreamConnection> conn) {
  auto& list = idle_[conn->origin()];
  if (list.size() >= settings_.maxIdlePerOrigin) return;  // closed by its destructor
  conn->deadline().expiresNever();
  conn->idleSince = CoarseClock::now();
  ++stats_.origin(conn->origin()).idle;
  list.push_back(std::move(conn));
}

void UpstreamPool::closeAll() {
  for (auto& [origin, list] : idle_) {
    for (auto& c : list) c->close();
  }
  idle_.clear();
  stats_.idleCleared();
}

}  // namespace switchyard
