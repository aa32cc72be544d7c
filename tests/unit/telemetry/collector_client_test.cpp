#include "telemetry/collector_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_listener.hpp"
#include "support/tls_server.hpp"

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
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/traces"; }
  size_t accepted() const { return accepted_.load(); }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  std::string lastHead() const {
    std::lock_guard lock(mutex_);
    return lastHead_;
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
        lastHead_ = in.substr(0, head);
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
  std::string lastHead_;
  std::thread thread_;
};

TelemetrySettings settingsFor(const std::string& url) {
  TelemetrySettings t;
  t.otlpTracesUrl = *parseUrl(url);
  t.otlpHeaders = {{"x-tenant", "t1"}};
  t.exportTimeout = 2000ms;
  return t;
}

void postThree(CollectorClient& client) {
  for (int i = 0; i < 3; ++i) {
    const PostResult r = client.post("{\"batch\":" + std::to_string(i) + "}");
    EXPECT_EQ(r.status, 200) << r.error;
    // Let a closing server's FIN arrive before the next post, as between export batches.
    std::this_thread::sleep_for(20ms);
  }
}

TEST(CollectorClient, KeepsTheConnectionWhileTheServerAllowsIt) {
  Server server(AfterAnswer::kKeep);
  CollectorClient client(settingsFor(server.url()));
  postThree(client);
  EXPECT_EQ(client.connectionsOpened(), 1u);
  EXPECT_EQ(server.accepted(), 1u);
  EXPECT_EQ(server.bodies(),
            (std::vector<std::string>{"{\"batch\":0}", "{\"batch\":1}", "{\"batch\":2}"}));
  const std::string head = server.lastHead();
  EXPECT_TRUE(head.starts_with("POST /v1/traces HTTP/1.1\r\n")) << head;
  EXPECT_NE(head.find("\r\nContent-Type: application/json\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nx-tenant: t1\r\n"), std::string::npos) << head;
}

TEST(CollectorClient, OpensANewConnectionWhenTheServerSaysClose) {
  Server server(AfterAnswer::kSayClose);
  CollectorClient client(settingsFor(server.url()));
  postThree(client);
  EXPECT_EQ(client.connectionsOpened(), 3u);
  EXPECT_EQ(server.bodies().size(), 3u);
}

TEST(CollectorClient, AKeptConnectionTheServerClosedIsReplaced) {
  Server server(AfterAnswer::kCloseSilently);
  CollectorClient client(settingsFor(server.url()));
  postThree(client);
  EXPECT_EQ(client.connectionsOpened(), 3u);
  EXPECT_EQ(server.bodies().size(), 3u);  // each batch arrived once
}

TEST(CollectorClient, AServerThatClosesRightAfterTheAnswerLosesNoBatch) {
  // No pause between posts: the next one may be sent before the FIN arrives, and is retried
  // once on a new connection.
  Server server(AfterAnswer::kCloseSilently);
  CollectorClient client(settingsFor(server.url()));
  for (int i = 0; i < 20; ++i) {
    const PostResult r = client.post("{}");
    EXPECT_EQ(r.status, 200) << r.error;
  }
  EXPECT_EQ(server.bodies().size(), 20u);
}

TEST(CollectorClient, AStalledServerTimesOutWithinTheExportTimeout) {
  uint16_t port = 0;
  const int fd = test::listenOnLoopback(port);  // accepts (the backlog) and never answers
  TelemetrySettings settings = settingsFor("http://127.0.0.1:" + std::to_string(port) + "/");
  settings.exportTimeout = 300ms;
  CollectorClient client(settings);
  const auto start = std::chrono::steady_clock::now();
  const PostResult r = client.post("{}");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
  ::close(fd);
}

// https collectors: the certificate is verified against the configured CA file, else the
// system's CAs.
class CollectorTls : public testing::Test {
 protected:
  void SetUp() override {
    caFile_ = testing::TempDir() + "collector-ca-" + std::to_string(::getpid()) + ".pem";
    std::ofstream(caFile_) << cert_.certPem;
  }
  void TearDown() override { std::remove(caFile_.c_str()); }
  TelemetrySettings settings(std::string caFile) const {
    TelemetrySettings t =
        settingsFor("https://127.0.0.1:" + std::to_string(server_.port()) + "/v1/traces");
    t.otlpCaFile = std::move(caFile);
    return t;
  }

  test::CertAndKey cert_ = test::makeSelfSigned("IP:127.0.0.1");
  test::TlsServer server_{cert_};
  std::string caFile_;
};

TEST_F(CollectorTls, ExportsToACollectorVerifiedWithTheCaFile) {
  {
    CollectorClient client(settings(caFile_));
    EXPECT_EQ(client.setupError(), "");
    const PostResult r = client.post("{}");
    EXPECT_EQ(r.status, 200) << r.error;
  }
  EXPECT_EQ(server_.answered(), 1u);
}

TEST_F(CollectorTls, RefusesACollectorTheSystemCasDoNotKnow) {
  CollectorClient client(settings(""));
  const PostResult r = client.post("{}");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("certificate verification failed"), std::string::npos) << r.error;
  EXPECT_EQ(server_.answered(), 0u);
}

TEST_F(CollectorTls, ACaFileThatCannotBeReadFailsEveryExport) {
  CollectorClient client(settings(caFile_ + ".missing"));
  EXPECT_NE(client.setupError().find("cannot load the CA file"), std::string::npos)
      << client.setupError();
  const PostResult r = client.post("{}");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, client.setupError());
  EXPECT_EQ(client.connectionsOpened(), 0u);
}

}  // namespace
}  // namespace switchyard
