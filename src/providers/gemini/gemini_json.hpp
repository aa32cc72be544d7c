#pragma once
// Small non-throwing accessors for untrusted JSON, shared by the Google translators.

#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"

namespace switchyard::gemini_json {

namespace json = boost::json;

inline const json::object* objectField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

inline const json::array* arrayField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

inline std::string_view stringField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

inline bool boolField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

inline int64_t intField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return 0;
}

inline Error badUpstream(std::string message) {
  return Error::make(ErrorClass::kBadUpstream, std::move(message), {}, "bad_upstream_response");
}

// Parses an upstream body that must be a JSON object.
inline Result<json::object> parseObject(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return badUpstream("The upstream answered with a body that is not a JSON object.");
  }
  return std::move(v.get_object());
}

}  // namespace switchyard::gemini_json
