// Helpers for the mock provider tests: a server on an ephemeral port in a thread, a small
// blocking Beast client, SSE splitting, fixture loading and a JSON shape comparison.
#pragma once

#include "core/async.hpp"
#include "tools/mock-provider/mock_server.hpp"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace switchyard::mock::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

template <typename Edit>
MockOptions withOptions(Edit edit) {
  MockOptions options;
  edit(options);
  return options;
}

// A MockServer running on its own io_context thread for the lifetime of the object.
class RunningMock {
 public:
  explicit RunningMock(MockOptions options = {}) {
    server_ = std::make_unique<MockServer>(ioc_, std::move(options));
    server_->start();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~RunningMock() {
    server_->stop();
    thread_.join();
  }
  RunningMock(const RunningMock&) = delete;
  RunningMock& operator=(const RunningMock&) = delete;

  uint16_t port() const { return server_->port(); }
  MockServer& server() { return *server_; }

 private:
  asio::io_context ioc_{1};
  std::unique_ptr<MockServer> server_;
  std::thread thread_;
};

struct HttpResult {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;                            // as much as arrived, also on error
  boost::system::error_code ec;                // set when the response did not complete
};

// One blocking HTTP/1.1 connection; requests on it reuse the connection (keep-alive).
class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  HttpResult send(http::verb method, const std::string& target, const std::string& body = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    HttpResult result;
    http::write(socket_, req, result.ec);
    if (result.ec) return result;
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(socket_, buffer_, parser, result.ec);
    const auto& res = parser.get();
    if (parser.is_header_done()) {
      result.status = res.result_int();
      for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        result.headers[name] = std::string(field.value());
      }
    }
    result.body = res.body();
    return result;
  }

  // Sends a POST and reads nothing back.
  void sendOnly(const std::string& target, const std::string& body) {
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = body;
    req.prepare_payload();
    http::write(socket_, req);
  }

  // Reads the response header only; the rest of a stream stays on the socket.
  unsigned sendAndReadHeader(const std::string& target, const std::string& body) {
    sendOnly(target, body);
    http::response_parser<http::string_body> parser;
    http::read_header(socket_, buffer_, parser);
    return parser.get().result_int();
  }

  void close() {
    boost::system::error_code ec;
    socket_.shutdown(TcpSocket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  asio::io_context ioc_;
  TcpSocket socket_;
  boost::beast::flat_buffer buffer_;
};

inline HttpResult post(uint16_t port, const std::string& target, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return Client(port).send(http::verb::post, target, body, headers);
}

inline HttpResult get(uint16_t port, const std::string& target) {
  return Client(port).send(http::verb::get, target);
}

inline json::value parseJson(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text;
  return v;
}

// The payloads of the SSE events in a body ("data: X\n\n" -> X).
inline std::vector<std::string> sseData(const std::string& body) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find("\n\n", pos);
    if (end == std::string::npos) end = body.size();
    std::string event = body.substr(pos, end - pos);
    if (event.rfind("data: ", 0) == 0) out.push_back(event.substr(6));
    pos = end + 2;
  }
  return out;
}

inline std::string fixturePath(const std::string& name) {
  return std::string(SWITCHYARD_SOURCE_DIR) + "/tests/fixtures/openai/" + name;
}

inline json::value loadFixture(const std::string& name) {
  std::ifstream in(fixturePath(name));
  EXPECT_TRUE(in) << fixturePath(name);
  std::stringstream ss;
  ss << in.rdbuf();
  return parseJson(ss.str());
}

inline std::vector<json::value> loadChunks(const std::string& name) {
  std::ifstream in(fixturePath(name));
  EXPECT_TRUE(in) << fixturePath(name);
  std::vector<json::value> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(parseJson(line));
  }
  return out;
}

inline std::string kindOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      return "object";
    case json::kind::array:
      return "array";
    case json::kind::string:
      return "string";
    case json::kind::bool_:
      return "bool";
    case json::kind::null:
      return "null";
    case json::kind::double_:
      return "double";
    default:
      return "integer";
  }
}

struct ShapeRules {
  std::set<std::string> ignore;      // keys of the recording that are provider extras
  std::set<std::string> allowExtra;  // keys the mock may have that the recording lacks
  std::set<std::string> nullable;    // keys whose value may be null on one side
  bool numbersAlike = false;         // integer and double count as one kind
};

// Checks that `actual` has the recording's keys with the same JSON kinds, recursively, and no
// keys the recording lacks. Arrays compare their elements with the recording's first element.
inline void expectSameShape(const json::value& expected, const json::value& actual,
                            const ShapeRules& rules = {}, const std::string& path = "$") {
  std::string ek = kindOf(expected);
  std::string ak = kindOf(actual);
  if (rules.numbersAlike) {
    if (ek == "double") ek = "integer";
    if (ak == "double") ak = "integer";
  }
  std::string key = path.substr(path.find_last_of('.') + 1);
  if (ek != ak) {
    const bool tolerated = rules.nullable.count(key) != 0 && (ek == "null" || ak == "null");
    EXPECT_TRUE(tolerated) << path << ": recording has " << ek << ", mock has " << ak;
    return;
  }
  if (expected.is_object()) {
    const auto& eo = expected.get_object();
    const auto& ao = actual.get_object();
    for (const auto& [k, v] : eo) {
      std::string name(k);
      if (rules.ignore.count(name)) continue;
      const auto* other = ao.if_contains(k);
      EXPECT_NE(other, nullptr) << path << "." << name << " missing in the mock's answer";
      if (other) expectSameShape(v, *other, rules, path + "." + name);
    }
    for (const auto& [k, v] : ao) {
      std::string name(k);
      EXPECT_TRUE(eo.contains(k) || rules.allowExtra.count(name))
          << path << "." << name << " is not in the recording";
    }
  } else if (expected.is_array() && !expected.get_array().empty()) {
    for (size_t i = 0; i < actual.get_array().size(); ++i) {
      expectSameShape(expected.get_array().front(), actual.get_array()[i], rules,
                      path + "[" + std::to_string(i) + "]");
    }
  }
}

inline std::string chatBody(const std::string& extra = {}) {
  return R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Invent a holiday."}])" +
         extra + "}";
}

}  // namespace switchyard::mock::testing
