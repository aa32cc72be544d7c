#include "app/demo_upstream.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>

namespace switchyard {

namespace {

constexpr std::chrono::seconds kStartTimeout{10};

Error demoError(std::string message) {
  return Error::make(ErrorClass::kInternal, std::move(message));
}

// "mock-provider listening on 127.0.0.1:PORT", the first line the mock prints.
std::optional<uint16_t> portOf(std::string_view line) {
  const size_t colon = line.rfind(':');
  uint16_t port = 0;
  if (!line.starts_with("mock-provider listening on ") || colon == std::string_view::npos) {
    return std::nullopt;
  }
  const auto [end, ec] = std::from_chars(line.data() + colon + 1, line.data() + line.size(), port);
  if (ec != std::errc() || end != line.data() + line.size() || port == 0) return std::nullopt;
  return port;
}

}  // namespace

Result<uint16_t> DemoUpstream::start() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::string path = (self.parent_path() / "mock-provider").string();
  if (ec || ::access(path.c_str(), X_OK) != 0) {
    return demoError(
        "no provider API key in the environment and no mock-provider beside this binary (" + path +
        ") to serve the demo: set a key such as OPENAI_API_KEY, or pass --config");
  }
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) return demoError("cannot start mock-provider: no pipe");
  // Everything the child needs is made before fork(): it only calls async-signal-safe functions.
  const char* const argv[] = {path.c_str(), "--host", "127.0.0.1", "--port", "0", nullptr};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);  // the gateway died before the line above
    ::dup2(pipeFds[1], STDOUT_FILENO);
    ::execv(path.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(pipeFds[1]);
  output_ = pipeFds[0];
  if (pid < 0) return demoError("cannot start " + path + ": fork failed");
  pid_ = pid;

  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (text.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{output_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) <= 0) {
      return demoError(path + " did not say where it listens within " +
                       std::to_string(kStartTimeout.count()) + " s");
    }
    char buf[256];
    const ssize_t n = ::read(output_, buf, sizeof buf);
    if (n <= 0) return demoError(path + " exited before listening");
    text.append(buf, size_t(n));
  }
  const auto port = portOf(std::string_view(text).substr(0, text.find('\n')));
  if (!port) return demoError(path + " printed an unexpected first line: " + text);
  return *port;
}

DemoUpstream::~DemoUpstream() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  if (output_ >= 0) ::close(output_);
}

}  // namespace switchyard
