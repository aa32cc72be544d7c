#pragma once
// A self-signed certificate made for a test, and a TLS server on loopback that answers each
// connection's one request with a fixed JSON body, on a thread of its own.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <string>
#include <thread>

#include "core/async.hpp"

namespace switchyard::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct CertAndKey {
  std::string certPem;
  std::string keyPem;
};

// A self-signed certificate whose subjectAltName is `san` (e.g. "IP:127.0.0.1").
inline CertAndKey makeSelfSigned(const std::string& san) {
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
  size_t answered() const { return answered_.load(); }

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
      if (!ec) ++answered_;
      stream.shutdown(ec);
    }
  }

  asio::io_context ioc_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> answered_{0};
  std::thread thread_;
};

}  // namespace switchyard::test
