#pragma once
// LiteLLM's model introspection routes: GET /model/info (and /v1/model/info), one entry per
// deployment, and GET /model_group/info, one entry per model name. Never shows keys.

#include <string>
#include <string_view>

#include "config/snapshot.hpp"

namespace switchyard {

// ?litellm_model_id= filters by deployment id (model_info.id when set, else "<name>#<index>").
std::string modelInfoJson(const Snapshot& snapshot, std::string_view query);
// ?model_group= filters by model name.
std::string modelGroupInfoJson(const Snapshot& snapshot, std::string_view query);

}  // namespace switchyard
