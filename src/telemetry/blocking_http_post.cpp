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

#include <algorithm>
#include <cctype>
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
  explicit Channel(int fd) : fd_(fd) {}
  const std::string& error() const { return error_; }
  // Every wait of the next exchange ends by then.
  void setDeadline(Clock::time_point deadline) {
    deadline_ = deadline;
    error_.clear();
  }

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
  Clock::time_point deadline_{};
  std::unique_ptr<SSL, SslFree> ssl_;
  bool closedCleanly_ = false;
  std::string error_;
};

}  // namespace

class BlockingHttpPoster::Connection {
 public:
  explicit Connection(int fd) : fd_(fd), channel_(fd) {}
  Channel& channel() { return channel_; }
  // Idle, it should have nothing to read: readable means the server closed it (or sent
  // something unasked), so it cannot carry another request.
  bool closedByPeer() const {
    pollfd p{fd_.get(), POLLIN | POLLRDHUP, 0};
    return ::poll(&p, 1, 0) != 0;
  }

 private:
  Fd fd_;
  Channel channel_;
};

namespace {

constexpr size_t kMaxAnswerHead = 64 * 1024;
constexpr int kSendBufferBytes = 4 * 1024 * 1024;   // Linux caps it at net.core.wmem_max
constexpr size_t kMaxKeptAnswerBody = 1024 * 1024;  // a larger answer body is not read: closed

// What the server answered, and whether the connection can carry another request.
struct Answer {
  int status = 0;
  bool keepAlive = false;
  bool anyBytes = false;  // false: nothing came back at all
  std::string error;
};

// The value of header `name` (lower case, with its colon) in a lower-cased head, or npos.
size_t headerValue(std::string_view head, std::string_view name) {
  const size_t at = head.find(name);
  if (at == std::string_view::npos || at < 2 || head.substr(at - 2, 2) != "\r\n") {
    return std::string_view::npos;
  }
  size_t v = at + name.size();
  while (v < head.size() && head[v] == ' ') ++v;
  return v;
}

Answer readAnswer(Channel& channel, const std::string& origin) {
  std::string answer;
  char buf[4096];
  size_t headEnd;
  bool ended = false;
  while ((headEnd = answer.find("\r\n\r\n")) == std::string::npos && !ended) {
    if (answer.size() >= kMaxAnswerHead) break;
    const ssize_t n = channel.receive(buf, sizeof buf);
    if (n < 0) return {0, false, !answer.empty(), channel.error() + " waiting for " + origin};
    ended = n == 0;
    answer.append(buf, size_t(n));
  }
  Answer a;
  a.anyBytes = !answer.empty();
  // "HTTP/1.1 200 OK"
  if (answer.size() < 12 || !answer.starts_with("HTTP/1.")) {
    a.error = a.anyBytes ? "not an HTTP answer from " + origin : "connection closed by " + origin;
    return a;
  }
  for (size_t i = 9; i < 12; ++i) {
    if (answer[i] < '0' || answer[i] > '9') {
      a.error = "bad status line from " + origin;
      return a;
    }
    a.status = a.status * 10 + (answer[i] - '0');
  }
  if (headEnd == std::string::npos) return a;  // closed or endless: not kept
  std::string head = answer.substr(0, headEnd + 2);
  for (char& c : head) c = char(std::tolower(static_cast<unsigned char>(c)));
  const size_t length = headerValue(head, "content-length:");
  const size_t connection = headerValue(head, "connection:");
  if (!head.starts_with("http/1.1") || length == std::string::npos ||
      headerValue(head, "transfer-encoding:") != std::string::npos ||
      (connection != std::string::npos &&
       head.substr(connection, head.find("\r\n", connection) - connection).find("close") !=
           std::string::npos)) {
    return a;
  }
  size_t bodyBytes = 0;
  for (size_t i = length; i < head.size() && head[i] >= '0' && head[i] <= '9'; ++i) {
    bodyBytes = bodyBytes * 10 + size_t(head[i] - '0');
    if (bodyBytes > kMaxKeptAnswerBody) return a;
  }
  // The body is read to its end, so that the next answer starts at a clean boundary.
  const size_t total = headEnd + 4 + bodyBytes;
  while (answer.size() < total) {
    const ssize_t n = channel.receive(buf, std::min(sizeof buf, total - answer.size()));
    if (n <= 0) return a;
    answer.append(buf, size_t(n));
  }
  a.keepAlive = answer.size() == total;
  return a;
}

// A new connection (and TLS session) to the URL's origin in `out`; else why not.
std::string connectTo(const Url& url, SSL_CTX* tls, Clock::time_point deadline,
                      std::unique_ptr<BlockingHttpPoster::Connection>& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(url.port);
  if (int rc = ::getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return std::string("cannot resolve ") + url.host + ": " + gai_strerror(rc);
  }
  int sock = -1;
  std::string lastError = "no address";
  for (addrinfo* a = found; a != nullptr && sock < 0; a = a->ai_next) {
    int s = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (s < 0) continue;
    // Room for a whole batch (an export is a few hundred KB): one send() hands it to the kernel,
    // which then sends it as the collector acknowledges, instead of the exporter waking up once
    // per window to copy the next piece.
    const int sendBuffer = kSendBufferBytes;
    ::setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sendBuffer, sizeof sendBuffer);
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
  if (sock < 0) return "cannot connect to " + url.origin() + ": " + lastError;
  auto conn = std::make_unique<BlockingHttpPoster::Connection>(sock);
  // No Nagle wait between the head and the body (plain TCP holds the head back with MSG_MORE
  // until the body follows; TLS sends them as two records).
  const int one = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  conn->channel().setDeadline(deadline);
  if (tls != nullptr) {
    if (auto e = conn->channel().startTls(tls, url.host); !e.empty()) {
      return "TLS with " + url.origin() + " failed: " + e;
    }
  }
  out = std::move(conn);
  return {};
}

}  // namespace

BlockingHttpPoster::BlockingHttpPoster(Url url, SSL_CTX* tls) : url_(std::move(url)), tls_(tls) {}
BlockingHttpPoster::~BlockingHttpPoster() = default;

PostResult BlockingHttpPoster::attempt(const std::string& head, std::string_view body,
                                       Clock::time_point deadline, bool& reused) {
  reused = conn_ != nullptr && !conn_->closedByPeer();
  if (!reused) {
    conn_.reset();
    if (auto e = connectTo(url_, tls_, deadline, conn_); !e.empty()) return {0, std::move(e)};
    ++opened_;
  }
  Channel& channel = conn_->channel();
  channel.setDeadline(deadline);
  if (!channel.sendAll(head, true) || !channel.sendAll(body, false)) {
    PostResult r{0, channel.error() + " sending to " + url_.origin()};
    conn_.reset();
    return r;
  }
  Answer a = readAnswer(channel, url_.origin());
  if (!a.keepAlive) conn_.reset();
  // A kept connection that the server closed meanwhile gives no answer at all: worth a retry.
  if (a.status == 0 && reused && a.anyBytes) reused = false;
  return {a.status, std::move(a.error)};
}

PostResult BlockingHttpPoster::post(std::string_view contentType, std::string_view body,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string head;
  head.reserve(512);
  head.append("POST ").append(url_.path.empty() ? "/" : url_.path);
  if (!url_.query.empty()) head.append("?").append(url_.query);
  head.append(" HTTP/1.1\r\nHost: ").append(url_.hostHeader());
  head.append("\r\nUser-Agent: switchyard/" SWITCHYARD_VERSION "\r\nContent-Type: ");
  head.append(contentType).append("\r\n");
  for (const auto& [name, value] : headers) {
    stripCrLf(head, name);
    head.append(": ");
    stripCrLf(head, value);
    head.append("\r\n");
  }
  head.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  bool reused = false;
  PostResult r = attempt(head, body, deadline, reused);
  // Once more on a new connection when a kept one failed before any answer (the server had
  // closed it) and there is time left.
  if (r.status == 0 && reused && Clock::now() < deadline) r = attempt(head, body, deadline, reused);
  return r;
}

}  // namespace switchyard
