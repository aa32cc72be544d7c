#pragma once
// A throwaway PostgreSQL server for the store tests: initdb in a temp dir (as the postgres user
// when run as root, since initdb refuses root), started on a free loopback port, stopped and
// removed at exit. Empty url() when the server binaries are not installed.

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/free_port.hpp"

namespace switchyard::testing {

class PostgresServer {
 public:
  static PostgresServer& instance() {
    static PostgresServer server;
    return server;
  }
  const std::string& url() const { return url_; }
  const std::string& why() const { return why_; }

  ~PostgresServer() {
    if (dir_.empty()) return;
    run(bin("pg_ctl") + " -D " + dir_ + "/data -m immediate stop >/dev/null 2>&1");
    std::filesystem::remove_all(dir_);
  }

 private:
  PostgresServer() {
    const char* binDir = std::getenv("PG_BINDIR");
    bin_ = binDir ? binDir : "/usr/lib/postgresql/15/bin";
    if (!std::filesystem::exists(bin("initdb"))) {
      why_ = "PostgreSQL server binaries not found in " + bin_ + " (scripts/setup.sh --test)";
      return;
    }
    char tmpl[] = "/tmp/switchyard-pg-XXXXXX";
    if (!mkdtemp(tmpl)) {
      why_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    asRoot_ = geteuid() == 0;
    if (asRoot_) {
      const passwd* pw = getpwnam("postgres");
      if (!pw || chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        why_ = "no postgres user to run initdb as";
        return;
      }
    }
    const int port = freeLoopbackPort();
    if (run(bin("initdb") + " -D " + dir_ + "/data -A trust -U postgres >" + dir_ +
            "/initdb.log 2>&1") != 0) {
      why_ = "initdb failed, see " + dir_ + "/initdb.log";
      return;
    }
    const std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port) +
                                " -c unix_socket_directories=" + dir_ + " -c fsync=off";
    if (run(bin("pg_ctl") + " -D " + dir_ + "/data -l " + dir_ + "/server.log -w -o '" + options +
            "' start >/dev/null 2>&1") != 0) {
      why_ = "pg_ctl start failed, see " + dir_ + "/server.log";
      return;
    }
    url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
  }

  std::string bin(const std::string& name) const { return bin_ + "/" + name; }
  int run(const std::string& command) const {
    const std::string full = asRoot_ ? "runuser -u postgres -- sh -c \"" + command + "\"" : command;
    return std::system(full.c_str());
  }
  std::string bin_;
  std::string dir_;
  std::string url_;
  std::string why_;
  bool asRoot_ = false;
};

}  // namespace switchyard::testing
