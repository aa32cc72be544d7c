#pragma once
// A sink that keeps the answer in memory: a health check's probe, a background call, a test.

#include <string>
#include <utility>
#include <vector>

#include "routing/answer_sink.hpp"

namespace switchyard {

class BufferSink final : public AnswerSink {
 public:
  void addHeader(std::string_view name, std::string_view value) override {
    headers.emplace_back(name, value);
  }
  void addHeaders(std::initializer_list<HttpHeader> list) override {
    for (const auto& h : list) addHeader(h.name, h.value);
  }
  bool started() const override { return started_; }
  bool sendNow(int answerStatus, std::string&& answer) override {
    started_ = true;
    status = answerStatus;
    body = std::move(answer);
    return true;
  }
  Task<bool> sendRest() override { co_return true; }
  Task<bool> beginStream() override {
    started_ = true;
    status = 200;
    co_return true;
  }
  Task<bool> streamData(std::string_view data) override {
    body.append(data);
    co_return true;
  }
  Task<bool> endStream() override {
    ended = true;
    co_return true;
  }
  void endConnection() override { connectionEnded = true; }

  // The header value, or "" when it was not added.
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return {};
  }

  int status = 0;  // 0 while nothing was answered
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool ended = false;            // a stream's end was written
  bool connectionEnded = false;  // endConnection() was called

 private:
  bool started_ = false;
};

}  // namespace switchyard
