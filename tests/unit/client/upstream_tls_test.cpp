// TLS to upstreams against a real TLS server on loopback: certificate verification is on by
// default, a trusted certificate works end to end, and a name mismatch is refused.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "client/upstream_exchange.hpp"
#include "client/upstream_pool.hpp"
#include "core/async.hpp"

namespace switchyard {
namespace {

namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct CertAndKey {
  std::string certPem;
  std::string keyPem;
};

// A self-signed certificate whose subjectAltName is `san` (e.g. "IP:127.0.0.1").
CertAndKey makeSelfSigned(const std::string& san) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("switchyard-test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, san},
                            std::pair{NID_basic_constraints, std::string("critical,CA:TRUE")}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str());
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(cert, key, EVP_sha256());
  auto toPem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
  };
  CertAndKey ck;
  ck.certPem = toPem([&](BIO* b) { PEM_write_bio_X509(b, cert); });
  ck.keyPem = toPem(
      [&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(cert);
  EVP_PKEY_free(key);
  return ck;
}

// Serves each connection one fixed JSON answer over TLS.
class TlsServer {
 public:
  explicit TlsServer(const CertAndKey& ck) : tls_(asio::ssl::context::tls_server) {
    tls_.use_certificate_chain(asio::buffer(ck.certPem));
    tls_.use_private_key(asio::buffer(ck.keyPem), asio::ssl::context::pem);
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~TlsServer() {
    // A blocking accept does not notice close() from another thread: wake it with a connection.
    stopping_ = true;
    boost::system::error_code ec;
    asio::io_context wake;
    TcpSocket s(wake);
    s.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    thread_.join();
  }
  uint16_t port() const { return port_; }

 private:
  void serve() {
    while (true) {
      boost::system::error_code ec;
      TcpSocket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      asio::ssl::stream<TcpSocket> stream(std::move(socket), tls_);
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (ec) continue;  // the client refused our certificate
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(stream, buffer, req, ec);
      if (ec) continue;
      http::response<http::string_body> res{http::status::ok, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = R"({"ok":true})";
      res.prepare_payload();
      http::write(stream, res, ec);
      stream.shutdown(ec);
    }
  }

  asio::io_context ioc_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

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
