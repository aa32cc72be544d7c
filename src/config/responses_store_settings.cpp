// responses_store_max_mb, responses_store_ttl, responses_store_scope and LiteLLM's
// disable_responses_id_security (config/responses_store_settings.hpp).
#include "config/responses_store_settings.hpp"

#include "config/sections.hpp"

namespace switchyard::config_detail {

bool parseResponsesStoreSetting(std::string_view section, const std::string& key,
                                const YAML::Node& value, const std::string& path, Snapshot& snap,
                                ParseContext& ctx) {
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
  if (key == "responses_store_scope") {
    auto scope = readString(value, path, ctx);
    if (!scope) return true;
    if (*scope == "key") {
      limits.scope = ResponsesScope::kKey;
    } else if (*scope == "team") {
      limits.scope = ResponsesScope::kTeam;
    } else if (*scope == "global") {
      limits.scope = ResponsesScope::kGlobal;
    } else {
      ctx.error(path, "expected key, team or global");
    }
    return true;
  }
  // LiteLLM's switch for letting every key use every response id.
  if (section == "general_settings" && key == "disable_responses_id_security") {
    if (auto off = readBool(value, path, ctx); off && *off) limits.scope = ResponsesScope::kGlobal;
    return true;
  }
  return false;
}

}  // namespace switchyard::config_detail
