#include "providers/common/request_params.hpp"

#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"

namespace switchyard::common {

namespace json = boost::json;

Result<void> refuseUnsupported(const json::object& body, std::span<const std::string_view> keys,
                               std::string_view provider, bool dropParams) {
  if (dropParams) return {};
  for (std::string_view key : keys) {
    const auto* v = body.if_contains(key);
    if (!v || v->is_null() || (v->is_bool() && !v->get_bool())) continue;
    if (v->is_array() && v->get_array().empty()) continue;
    return unsupportedParam(provider, key);
  }
  return {};
}

Result<const json::array*> chatMessages(const json::object& body) {
  const auto* v = body.if_contains("messages");
  const auto* list = v ? v->if_array() : nullptr;
  if (!list || list->empty()) return badRequest("messages must be a non-empty array.", "messages");
  return list;
}

Result<void> refuseSeveralChoices(const json::object& body, std::string_view provider,
                                  bool dropParams) {
  if (dropParams || intField(body, "n") <= 1) return {};
  return unsupportedParam(provider, "n");
}

std::optional<json::array> stopSequences(const json::object& body) {
  const auto* stop = body.if_contains("stop");
  if (!stop) return std::nullopt;
  if (stop->is_string()) return json::array{stop->get_string()};
  if (stop->is_array() && !stop->get_array().empty()) return stop->get_array();
  return std::nullopt;
}

}  // namespace switchyard::common
