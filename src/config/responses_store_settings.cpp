// responses_store_max_mb and responses_store_ttl (config/responses_store_settings.hpp).
#include "config/responses_store_settings.hpp"

#include "config/sections.hpp"

namespace switchyard::config_detail {

bool parseResponsesStoreSetting(const std::string& key, const YAML::Node& value,
                                const std::string& path, Snapshot& snap, ParseContext& ctx) {
  auto& limits = snap.responsesStore;
  if (key == "responses_store_max_mb") {
    if (auto mb = readNumber(value, path, ctx, 0, 1024 * 1024)) {
      if (*mb == 0) {
        ctx.error(path, "must be greater than 0");
      } else {
        limits.maxBytes = static_cast<size_t>(*mb * 1024 * 1024);
      }
    }
    return true;
  }
  if (key == "responses_store_ttl") {
    // LiteLLM's duration syntax ("30d", "12h"), or a number of seconds.
    if (isNull(value)) return true;
    if (auto d = readDuration(value, path, ctx)) limits.ttlMs = d->count();
    return true;
  }
  return false;
}

}  // namespace switchyard::config_detail
