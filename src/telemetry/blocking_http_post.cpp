#include "telemetry/blocking_http_post.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

}  // namespace

PostResult blockingHttpPost(const Url& url, std::string_view contentType, std::string_view body,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            std::chrono::milliseconds timeout) {
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

  // The head and the body go out together without copying the body (it is the bulk).
  iovec parts[2] = {{request.data(), request.size()},
                    {const_cast<char*>(body.data()), body.size()}};
  size_t first = 0;
  while (first < 2) {
    msghdr message{};
    message.msg_iov = parts + first;
    message.msg_iovlen = 2 - first;
    const ssize_t n = ::sendmsg(sock, &message, MSG_NOSIGNAL);
    if (n > 0) {
      auto left = size_t(n);
      while (first < 2 && left >= parts[first].iov_len) left -= parts[first++].iov_len;
      if (first < 2) {
        parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + left;
        parts[first].iov_len -= left;
      }
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!waitFor(sock, POLLOUT, deadline)) return {0, "timed out sending to " + url.origin()};
    } else {
      return {0, std::string("send failed: ") + std::strerror(errno)};
    }
  }

  // Only the status line matters; the rest is read until the server closes (bounded).
  std::string answer;
  char buf[4096];
  while (answer.find("\r\n") == std::string::npos && answer.size() < 64 * 1024) {
    const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
    if (n > 0) {
      answer.append(buf, size_t(n));
    } else if (n == 0) {
      break;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!waitFor(sock, POLLIN, deadline)) return {0, "timed out waiting for " + url.origin()};
    } else {
      return {0, std::string("receive failed: ") + std::strerror(errno)};
    }
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
