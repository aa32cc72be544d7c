#include "telemetry/blocking_http_post.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "telemetry/collector_tls.hpp"

namespace switchyard {

namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Waits for `events` until the deadline; false on timeout or error.
bool waitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, int(left));
    if (n > 0) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

void stripCrLf(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
}

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// The connection's bytes, through a TLS session once startTls() succeeded; every call waits,
// until the deadline, while the socket would block. On failure, error() says why.
class Channel {
 public:
  Channel(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}
  const std::string& error() const { return error_; }

  // Handshake, verifying the certificate chain and that it names `host`; empty on success.
  std::string startTls(SSL_CTX* ctx, const std::string& host) {
    ssl_.reset(SSL_new(ctx));
    if (!ssl_ || SSL_set_fd(ssl_.get(), fd_) != 1) return lastTlsError();
    in6_addr ip{};
    const bool literal = ::inet_pton(AF_INET, host.c_str(), &ip) == 1 ||
                         ::inet_pton(AF_INET6, host.c_str(), &ip) == 1;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
    if (literal) {
      X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_.get(), host.c_str());
      X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    }
    if (tls([&] { return SSL_connect(ssl_.get()); }) > 0) return {};
    if (const long v = SSL_get_verify_result(ssl_.get()); v != X509_V_OK) {
      return std::string("certificate verification failed: ") + X509_verify_cert_error_string(v);
    }
    return error_;
  }

  // `more`: further data follows at once (plain TCP holds the segment for it).
  bool sendAll(std::string_view data, bool more) {
    while (!data.empty()) {
      ssize_t n;
      if (ssl_) {
        n = tls([&] { return SSL_write(ssl_.get(), data.data(), int(data.size())); });
        if (n <= 0) return false;
      } else {
        n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | (more ? MSG_MORE : 0));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          if (!waitFor(fd_, POLLOUT, deadline_)) return fail("timed out");
          continue;
        }
        if (n < 0) return fail(std::string("send failed: ") + std::strerror(errno));
      }
      data.remove_prefix(size_t(n));
    }
    return true;
  }

  // Bytes read, 0 at the end of the stream, -1 on failure.
  ssize_t receive(char* buf, size_t size) {
    if (ssl_) {
      const int n = tls([&] { return SSL_read(ssl_.get(), buf, int(size)); });
      if (n > 0) return n;
      return closedCleanly_ ? 0 : -1;
    }
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, size, 0);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        fail(std::string("receive failed: ") + std::strerror(errno));
        return -1;
      }
      if (!waitFor(fd_, POLLIN, deadline_)) {
        fail("timed out");
        return -1;
      }
    }
  }

 private:
  bool fail(std::string why) {
    error_ = std::move(why);
    return false;
  }

  // Runs an OpenSSL call until it is done or fails, waiting for the socket as it asks.
  template <class Op>
  int tls(Op op) {
    for (;;) {
      const int r = op();
      if (r > 0) return r;
      const int e = SSL_get_error(ssl_.get(), r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        if (!waitFor(fd_, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_)) {
          fail("timed out");
          return -1;
        }
        continue;
      }
      if (e == SSL_ERROR_ZERO_RETURN) {
        closedCleanly_ = true;
        return 0;
      }
      fail(e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 ? std::string("connection closed")
                                                           : lastTlsError());
      return -1;
    }
  }

  int fd_;
  Clock::time_point deadline_;
  std::unique_ptr<SSL, SslFree> ssl_;
  bool closedCleanly_ = false;
  std::string error_;
};

}  // namespace

PostResult blockingHttpPost(const Url& url, std::string_view contentType, std::string_view body,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            std::chrono::milliseconds timeout, SSL_CTX* tls) {
  const auto deadline = Clock::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(url.port);
  if (int rc = ::getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return {0, std::string("cannot resolve ") + url.host + ": " + gai_strerror(rc)};
  }
  int sock = -1;
  std::string lastError = "no address";
  for (addrinfo* a = found; a != nullptr && sock < 0; a = a->ai_next) {
    int s = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (s < 0) continue;
    if (::connect(s, a->ai_addr, a->ai_addrlen) == 0 ||
        (errno == EINPROGRESS && waitFor(s, POLLOUT, deadline))) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) {
        sock = s;
        break;
      }
      lastError = std::strerror(err);
    } else {
      lastError = errno == EINPROGRESS ? "connect timed out" : std::strerror(errno);
    }
    ::close(s);
  }
  ::freeaddrinfo(found);
  if (sock < 0) return {0, "cannot connect to " + url.origin() + ": " + lastError};
  Fd fd(sock);
  // No Nagle wait between the head and the body (plain TCP holds the head back with MSG_MORE
  // until the body follows; TLS sends them as two records).
  const int one = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  Channel channel(sock, deadline);
  if (tls != nullptr) {
    if (auto e = channel.startTls(tls, url.host); !e.empty()) {
      return {0, "TLS with " + url.origin() + " failed: " + e};
    }
  }

  std::string request;
  request.reserve(512);
  request.append("POST ").append(url.path.empty() ? "/" : url.path);
  if (!url.query.empty()) request.append("?").append(url.query);
  request.append(" HTTP/1.1\r\nHost: ").append(url.hostHeader());
  request.append("\r\nUser-Agent: switchyard/" SWITCHYARD_VERSION "\r\nContent-Type: ");
  request.append(contentType).append("\r\nConnection: close\r\n");
  for (const auto& [name, value] : headers) {
    stripCrLf(request, name);
    request.append(": ");
    stripCrLf(request, value);
    request.append("\r\n");
  }
  request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  if (!channel.sendAll(request, true) || !channel.sendAll(body, false)) {
    return {0, channel.error() + " sending to " + url.origin()};
  }

  // Only the status line matters; the rest is read until the server closes (bounded).
  std::string answer;
  char buf[4096];
  while (answer.find("\r\n") == std::string::npos && answer.size() < 64 * 1024) {
    const ssize_t n = channel.receive(buf, sizeof buf);
    if (n < 0) return {0, channel.error() + " waiting for " + url.origin()};
    if (n == 0) break;
    answer.append(buf, size_t(n));
  }
  // "HTTP/1.1 200 OK"
  if (answer.size() < 12 || !answer.starts_with("HTTP/1.")) {
    return {0, "not an HTTP answer from " + url.origin()};
  }
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (answer[i] < '0' || answer[i] > '9') return {0, "bad status line from " + url.origin()};
    status = status * 10 + (answer[i] - '0');
  }
  return {status, {}};
}

}  // namespace switchyard
