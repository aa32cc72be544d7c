#pragma once
// A throwaway redis-server for the shared-counter tests: no persistence, a free loopback port, a
// temp dir; stopped or paused (and restartable, to test outages) by the test. Empty port() with
// why() set when redis-server is not installed.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/redis/redis_connection.hpp"
#include "support/free_port.hpp"

namespace switchyard::testing {

class RedisServer {
 public:
  RedisServer() {
    if (!std::filesystem::exists(kBinary)) {
      why_ = std::string(kBinary) + " not found (scripts/setup.sh --test installs redis-server)";
      return;
    }
    char tmpl[] = "/tmp/switchyard-redis-XXXXXX";
    if (!mkdtemp(tmpl)) {
      why_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    port_ = freeLoopbackPort();
    start();
  }
  ~RedisServer() {
    stop();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  uint16_t port() const { return static_cast<uint16_t>(port_); }
  const std::string& why() const { return why_; }
  RedisEndpoint endpoint() const {
    RedisEndpoint e;
    e.host = "127.0.0.1";
    e.port = port();
    e.timeout = std::chrono::milliseconds(200);
    return e;
  }

  void start() {
    // Built before fork: the child of a threaded process only execs.
    const std::string port = std::to_string(port_);
    pid_ = fork();
    if (pid_ == 0) {
      execl(kBinary, kBinary, "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", dir_.c_str(), "--loglevel", "warning",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    // Ready when it answers.
    RedisConnection probe(endpoint());
    for (int i = 0; i < 200; ++i) {
      if (probe.run({{"PING"}})) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    why_ = "redis-server did not start";
  }
  // A hung server (SIGSTOP): connections are accepted by the kernel, nothing answers.
  void pause() {
    if (pid_ > 0) kill(pid_, SIGSTOP);
  }
  void resume() {
    if (pid_ > 0) kill(pid_, SIGCONT);
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  static constexpr const char* kBinary = "/usr/bin/redis-server";
  std::string dir_;
  std::string why_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace switchyard::testing
