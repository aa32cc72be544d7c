#include "server/token_counter.hpp"

#include <boost/json.hpp>

#include "api/openai/token_counter.hpp"
#include "api/token_count.hpp"
#include "routing/context_check.hpp"
#include "server/responder.hpp"
#include "tokenizer/model_encoding.hpp"

namespace switchyard {

namespace json = boost::json;

ModelTokenizer modelTokenizer(const Snapshot& snapshot, std::string_view requested) {
  ModelTokenizer out;
  const std::string_view group = snapshot.router.groupFor(requested);
  if (const auto it = snapshot.groups.find(group);
      it != snapshot.groups.end() && !it->second.empty()) {
    out.model = std::string(countedModel(*snapshot.deployments[it->second.front()]));
  } else {
    out.model = std::string(requested);
    for (const auto& w : snapshot.wildcards) {
      if (!w.prefix.empty() && requested.size() > w.prefix.size() + 1 &&
          requested.starts_with(w.prefix) && requested[w.prefix.size()] == '/') {
        out.model = std::string(requested.substr(w.prefix.size() + 1));
        break;
      }
    }
  }
  out.encoding = tokenizer::encodingForModel(out.model);
  return out;
}

namespace {

Task<void> answer(Responder& responder, int status, std::string body) {
  co_await responder.send(status, std::move(body));
}

Task<void> refuse(Responder& responder, Error error) {
  co_await responder.sendError(error, InboundFormat::kOpenAi);
}

}  // namespace

Task<void> tokenCounter(const Snapshot& snapshot, const HttpRequest& request,
                        Responder& responder) {
  auto parsed = parseTokenCounterRequest(request.body());
  if (!parsed) return refuse(responder, parsed.error());
  const ModelTokenizer counted = modelTokenizer(snapshot, parsed->model);
  TokenTally tally(counted.encoding);
  countTokenCounterInput(*parsed, tally);
  responder.addHeader("x-switchyard-token-count", tally.kind());
  return answer(
      responder, 200,
      json::serialize(json::object{
          {"total_tokens", tally.total()},
          {"request_model", parsed->model},
          {"model_used", counted.model},
          {"tokenizer_type", counted.encoding ? "openai_tokenizer" : "character_estimate"},
          {"original_response", nullptr},
          {"error", false},
          {"error_message", nullptr},
          {"status_code", nullptr},
      }));
}

}  // namespace switchyard
