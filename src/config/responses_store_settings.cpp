// responses_store_max_mb and responses_store_ttl (config/responses_store_settings.hpp).
#include "config/responses_store_settings.hpp"

#include "config/sections.hpp"
#include "core/litellm_duration.hpp"

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
    auto text = readString(value, path, ctx);
    if (!text) return true;
    if (auto ms = parseBudgetDuration(*text)) {
      limits.ttlMs = *ms;
    } else if (!text->empty() && text->find_first_not_of("0123456789.") == std::string::npos) {
      if (auto seconds = readSeconds(value, path, ctx)) limits.ttlMs = seconds->count();
    } else {
      ctx.error(path,
                "expected a duration like \"30d\", \"12h\", \"15m\", \"30s\" or \"1mo\", found '" +
                    *text + "'");
    }
    return true;
  }
  return false;
}

}  // namespace switchyard::config_detail
