#pragma once
// One /v1/responses request that continues a stored response or is stored itself (store is not
// false): what the request path needs of the store between the request and its answer. Null in
// the request context when neither (store: false, no previous_response_id): no cost then.

#include <memory>
#include <string>
#include <string_view>

#include "store/stored_response.hpp"

namespace switchyard {

struct ResponsesTurn {
  bool keep = false;  // store is not false: the answer is stored
  std::string owner;  // who stored / may continue it (server/responses_state.hpp)
  std::string team;   // the team of the key, kept with what it stores
  // The request's previous_response_id: continued from the store before the request is routed.
  std::string previousId;
  // The stored response previous_response_id named, when the gateway issued it.
  std::shared_ptr<const StoredResponse> previous;
  // The request continued with the previous conversation: the text ctx.request was decoded from
  // (and a Responses-native upstream is sent). Never changed once decoded.
  std::string body;

  // Filled by the attempt that answered, when `keep`: the Response object as the client got it,
  // and whether it came from a Responses-native upstream as it was (its id is the upstream's).
  std::string answer;
  bool native = false;

  // A whole answer.
  void keepAnswer(std::string_view body, bool fromNative) {
    answer.assign(body);
    native = fromNative;
  }
  // Stream output about to go to the client: the Response of its terminal event, when there.
  void noteStream(std::string_view sse, bool fromNative) {
    for (std::string_view type : {"response.completed", "response.incomplete", "response.failed"}) {
      std::string marker = "event: ";
      marker.append(type).append("\ndata: ");
      const size_t at = sse.find(marker);
      if (at == std::string_view::npos) continue;
      const size_t begin = at + marker.size();
      const size_t end = sse.find('\n', begin);
      answer.assign(sse.substr(begin, end == std::string_view::npos ? end : end - begin));
      native = fromNative;
      return;
    }
  }
};

}  // namespace switchyard
