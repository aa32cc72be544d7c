#pragma once
// The executor's sink for a client connection: answers go to the Responder, and while an
// attempt runs the connection is watched, so a client that leaves aborts the upstream exchange.

#include <optional>
#include <string>

#include "routing/answer_sink.hpp"
#include "server/client_watch.hpp"
#include "server/responder.hpp"

namespace switchyard {

class ClientSink final : public AnswerSink {
 public:
  ClientSink(Responder& responder, TcpSocket& client, DeadlineSweeper& sweeper)
      : responder_(responder), client_(client), sweeper_(sweeper) {}

  void addHeader(std::string_view name, std::string_view value) override {
    responder_.addHeader(name, value);
  }
  void addHeaders(std::initializer_list<HttpHeader> headers) override {
    responder_.addHeaders(headers);
  }
  bool started() const override { return responder_.started(); }
  bool sendNow(int status, std::string&& body) override {
    if (!contentType_.empty()) return responder_.sendNow(status, std::move(body), contentType_);
    return responder_.sendNow(status, std::move(body));
  }
  void setContentType(std::string_view contentType) override {
    contentType_ = contentType;
    responder_.setStreamContentType(contentType_);
  }
  Task<bool> sendRest() override { return responder_.sendRest(); }
  Task<bool> beginStream() override { return responder_.beginStream(); }
  Task<bool> streamData(std::string_view data) override { return responder_.streamData(data); }
  Task<bool> endStream() override { return responder_.endStream(); }
  void endConnection() override { responder_.setKeepAlive(false); }

  void watch(UpstreamExchange& exchange, bool& gone) override {
    watch_.emplace(client_, exchange, gone, sweeper_);
  }
  void alsoWatch(UpstreamExchange& exchange) override {
    if (watch_) watch_->alsoAbort(exchange);
  }
  void unwatch() override { watch_.reset(); }

 private:
  Responder& responder_;
  TcpSocket& client_;
  DeadlineSweeper& sweeper_;
  std::optional<ClientWatch> watch_;
  std::string contentType_;  // setContentType's, owned: the upstream's buffer does not last
};

}  // namespace switchyard
