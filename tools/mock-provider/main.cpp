// mock-provider: the fake OpenAI-compatible upstream as a standalone binary. See --help.
#include "tools/mock-provider/mock_server.hpp"

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <iostream>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  using namespace switchyard::mock;
  CliConfig config;
  if (auto error = parseCli(argc, argv, config); !error.empty()) {
    std::cerr << "mock-provider: " << error << "\n\n" << cliUsage();
    return 2;
  }
  if (config.help) {
    std::cout << cliUsage();
    return 0;
  }
  try {
    // One io_context and acceptor per worker, all on one port, sharing the counters.
    auto stats = std::make_shared<MockStats>();
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
    std::vector<std::unique_ptr<MockServer>> servers;
    MockOptions options = config.options;
    options.reusePort = config.workers > 1;
    for (int i = 0; i < config.workers; ++i) {
      contexts.push_back(std::make_unique<boost::asio::io_context>(1));
      options.seed = config.options.seed + uint64_t(i);
      servers.push_back(std::make_unique<MockServer>(*contexts.back(), options, stats));
      options.port = servers.front()->port();
      servers.back()->start();
    }
    boost::asio::signal_set signals(*contexts.front(), SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      for (auto& server : servers) server->stop();
    });
    std::cout << "mock-provider listening on " << config.options.host << ":"
              << servers.front()->port() << std::endl;

    std::vector<std::thread> threads;
    for (size_t i = 1; i < contexts.size(); ++i) {
      threads.emplace_back([&ctx = *contexts[i]] { ctx.run(); });
    }
    contexts.front()->run();
    for (auto& t : threads) t.join();
  } catch (const std::exception& e) {
    std::cerr << "mock-provider: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
