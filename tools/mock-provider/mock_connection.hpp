// The server's view of one client connection and of one request on it, shared by the files that
// implement MockServer: connection handling (mock_server.cpp), what to answer
// (mock_decide.cpp, mock_faults.cpp) and writing the answer (mock_writer.cpp).
#pragma once

#include "tools/mock-provider/mock_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace switchyard::mock {

struct MockServer::Connection {
  explicit Connection(boost::asio::ip::tcp::socket s)
      : socket(std::move(s)), timer(socket.get_executor()) {}
  boost::asio::ip::tcp::socket socket;
  boost::asio::steady_timer timer;  // delays and paces answers; cancelled when the client leaves
};

struct MockServer::Request {
  boost::beast::http::request<boost::beast::http::string_body> message;
};

}  // namespace switchyard::mock
