// TLS to upstreams against a real TLS server on loopback: certificate verification is on by
// default, a trusted certificate works end to end, and a name mismatch is refused.

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <thread>

#include "client/upstream_exchange.hpp"
#include "client/upstream_pool.hpp"
#include "core/async.hpp"
#include "support/tls_server.hpp"

namespace switchyard {
namespace {

using tcp = asio::ip::tcp;
using test::makeSelfSigned;
using test::TlsServer;

// Runs one upstream exchange on a fresh io_context and returns its outcome.
Result<std::string> fetch(std::shared_ptr<asio::ssl::context> tls, const std::string& url) {
  asio::io_context ioc;
  UpstreamPool pool(ioc.get_executor(), std::move(tls));
  std::optional<Result<std::string>> out;
  asio::co_spawn(
      ioc,
      [&]() -> Task<void> {
        UpstreamExchange exchange(pool);
        UpstreamRequest request;
        request.target = "/v1/chat/completions";
        request.body = "{}";
        const Url base = *parseUrl(url);
        auto started = co_await exchange.start(base, std::move(request), {.requestId = "test-id"},
                                               std::chrono::seconds(5));
        if (!started) {
          out = started.error();
          co_return;
        }
        auto body = co_await exchange.readAll(std::chrono::seconds(5), 1 << 20);
        exchange.finish();
        out = std::move(body);
      },
      asio::detached);
  ioc.run();
  return *out;
}

TEST(UpstreamTls, RefusesAnUntrustedCertificateByDefault) {
  TlsServer server(makeSelfSigned("IP:127.0.0.1"));
  auto r = fetch(makeClientTlsContext(), "https://127.0.0.1:" + std::to_string(server.port()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kConnectFailed);
  EXPECT_EQ(r.error().status, 502);
  EXPECT_NE(r.error().message.find("certificate verify failed"), std::string::npos)
      << r.error().message;
}

TEST(UpstreamTls, TalksToATrustedCertificate) {
  const auto ck = makeSelfSigned("IP:127.0.0.1");
  TlsServer server(ck);
  auto tls = makeClientTlsContext();
  tls->add_certificate_authority(asio::buffer(ck.certPem));
  auto r = fetch(tls, "https://127.0.0.1:" + std::to_string(server.port()));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, R"({"ok":true})");
}

TEST(UpstreamTls, RefusesATrustedCertificateForAnotherName) {
  const auto ck = makeSelfSigned("DNS:api.other.example");
  TlsServer server(ck);
  auto tls = makeClientTlsContext();
  tls->add_certificate_authority(asio::buffer(ck.certPem));
  auto r = fetch(tls, "https://127.0.0.1:" + std::to_string(server.port()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kConnectFailed);
}

TEST(UpstreamTls, PlainHttpServerBehindHttpsUrlIsAClearError) {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  std::thread t([&] {
    TcpSocket s(ioc);
    acceptor.accept(s);
    const std::string reply = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    asio::write(s, asio::buffer(reply));
  });
  auto r = fetch(makeClientTlsContext(),
                 "https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()));
  t.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kConnectFailed);
  EXPECT_NE(r.error().message.find("TLS handshake"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace switchyard
