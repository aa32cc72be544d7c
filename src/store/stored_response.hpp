#pragma once
// One stored Responses API response (POST /v1/responses with store not false), as the in-process
// store keeps it and the sy_responses table persists it.

#include <cstdint>
#include <string>

namespace switchyard {

struct StoredResponse {
  std::string id;     // "resp_..."
  std::string owner;  // who may read, continue or delete it (server/responses_state.hpp)
  // The team of the key that created it, for responses_store_scope: team; empty: none.
  std::string team;
  int64_t createdAt = 0;  // unix seconds, the Response's created_at
  int64_t expiresAt = 0;  // unix ms
  std::string model;      // the model name the client asked for
  // A response a Responses-native upstream issued and stores itself: the deployment that served
  // it (its id), and no items here. Empty: the gateway issued it and keeps its conversation.
  std::string deployment;
  std::string inputItems;  // JSON array: the whole conversation before this answer
  std::string response;    // JSON object: the Response as the client got it (its output items)

  bool native() const { return !deployment.empty(); }
  // What it holds, for the store's size bound.
  size_t bytes() const {
    return sizeof(StoredResponse) + id.size() + owner.size() + team.size() + model.size() +
           deployment.size() + inputItems.size() + response.size();
  }
};

// Who asks for a stored response: the owner it would store one as, and its key's team.
struct ResponsesCaller {
  std::string owner;
  std::string team;
};

}  // namespace switchyard
