#include "telemetry/blocking_http_post.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_listener.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

// A one-thread HTTP/1.1 server on loopback that answers every POST with 200, reading several
// requests per connection. How it treats the connection after an answer:
enum class AfterAnswer {
  kKeep,          // Content-Length, no "Connection: close": waits for the next request
  kSayClose,      // "Connection: close", then closes
  kCloseSilently  // an answer that allows keep-alive, then closes anyway (an idle timeout)
};

class Server {
 public:
  explicit Server(AfterAnswer mode) : mode_(mode) {
    fd_ = test::listenOnLoopback(port_);
    thread_ = std::thread([this] { run(); });
  }
  ~Server() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  Url url() const { return *parseUrl("http://127.0.0.1:" + std::to_string(port_) + "/v1/traces"); }
  size_t accepted() const { return accepted_.load(); }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  void run() {
    for (;;) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      ++accepted_;
      serve(c);
      ::close(c);
    }
  }
  // Answers the connection's requests until it ends or the mode closes it.
  void serve(int c) {
    std::string in;
    char buf[4096];
    for (;;) {
      size_t head;
      while ((head = in.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) return;
        in.append(buf, size_t(n));
      }
      const size_t cl = in.find("Content-Length: ");
      const size_t total = head + 4 + std::stoul(in.substr(cl + 16));
      while (in.size() < total) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) return;
        in.append(buf, size_t(n));
      }
      {
        std::lock_guard lock(mutex_);
        bodies_.push_back(in.substr(head + 4, total - head - 4));
      }
      in.erase(0, total);
      const std::string answer =
          mode_ == AfterAnswer::kSayClose
              ? "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
              : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
      ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
      if (mode_ != AfterAnswer::kKeep) return;
    }
  }

  const AfterAnswer mode_;
  int fd_;
  uint16_t port_ = 0;
  std::atomic<size_t> accepted_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::thread thread_;
};

void postThree(BlockingHttpPoster& poster) {
  for (int i = 0; i < 3; ++i) {
    const PostResult r = poster.post("application/json", "{\"batch\":" + std::to_string(i) + "}",
                                     {{"x-tenant", "t1"}}, 2000ms);
    EXPECT_EQ(r.status, 200) << r.error;
    // Let a closing server's FIN arrive before the next post, as between export batches.
    std::this_thread::sleep_for(20ms);
  }
}

TEST(BlockingHttpPoster, KeepsTheConnectionWhileTheServerAllowsIt) {
  Server server(AfterAnswer::kKeep);
  BlockingHttpPoster poster(server.url());
  postThree(poster);
  EXPECT_EQ(poster.connectionsOpened(), 1u);
  EXPECT_EQ(server.accepted(), 1u);
  EXPECT_EQ(server.bodies(),
            (std::vector<std::string>{"{\"batch\":0}", "{\"batch\":1}", "{\"batch\":2}"}));
}

TEST(BlockingHttpPoster, OpensANewConnectionWhenTheServerSaysClose) {
  Server server(AfterAnswer::kSayClose);
  BlockingHttpPoster poster(server.url());
  postThree(poster);
  EXPECT_EQ(poster.connectionsOpened(), 3u);
  EXPECT_EQ(server.bodies().size(), 3u);
}

TEST(BlockingHttpPoster, AKeptConnectionTheServerClosedIsReplaced) {
  Server server(AfterAnswer::kCloseSilently);
  BlockingHttpPoster poster(server.url());
  postThree(poster);
  EXPECT_EQ(poster.connectionsOpened(), 3u);
  EXPECT_EQ(server.bodies().size(), 3u);  // each batch arrived once
}

TEST(BlockingHttpPoster, AServerThatClosesRightAfterTheAnswerLosesNoBatch) {
  // No pause between posts: the next one may be sent before the FIN arrives, and is retried
  // once on a new connection.
  Server server(AfterAnswer::kCloseSilently);
  BlockingHttpPoster poster(server.url());
  for (int i = 0; i < 20; ++i) {
    const PostResult r = poster.post("application/json", "{}", {}, 2000ms);
    EXPECT_EQ(r.status, 200) << r.error;
  }
  EXPECT_EQ(server.bodies().size(), 20u);
}

}  // namespace
}  // namespace switchyard
