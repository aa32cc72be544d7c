#pragma once
// Cohere's Chat v2 (POST /v2/chat, SSE streaming) and Embed v2 (POST /v2/embed) APIs, for a
// client that speaks OpenAI's format. Bearer auth.

#include <map>

#include <set>

#include "providers/adapter.hpp"
#include "providers/common/answer_ids.hpp"

namespace switchyard {

class CohereAdapter : public ProviderAdapter {
 public:
  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  Error classifyError(int status, std::string_view body,
                      std::string_view retryAfter) const override;
};

class CohereStreamDecoder : public StreamDecoder {
 public:
  // `model`: the name the client asked for (Cohere's stream does not repeat it).
  explicit CohereStreamDecoder(std::string model);
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return done_; }

 private:
  void ensureStarted(EventSink& sink);
  std::string id_;
  std::string model_;
  bool started_ = false;
  bool done_ = false;
  Usage usage_;
  std::set<int32_t> toolsWithoutArguments_;  // started, no arguments seen yet
};

namespace cohere {

Result<boost::json::object> toChat(const boost::json::object& body, std::string_view model,
                                   bool dropParams);
Result<std::string> fromChat(std::string_view body, std::string_view model, Usage& usage);
Result<boost::json::object> toEmbed(const boost::json::object& body, std::string_view model);
Result<std::string> fromEmbed(std::string_view body, const ApiRequest& req, Usage& usage);
// COMPLETE/STOP_SEQUENCE → stop, MAX_TOKENS → length, TOOL_CALL → tool_calls; "" for ERROR and
// TIMEOUT, which end the answer with an error instead.
std::string_view finishReason(std::string_view cohereReason);
void readUsage(const boost::json::object& usage, Usage& out);
Error classifyError(int status, std::string_view body, std::string_view retryAfter);

}  // namespace cohere

}  // namespace switchyard
