#pragma once
// Non-throwing accessors for JSON from outside (client bodies, upstream answers): a field that is
// absent or of another type reads as empty, null or 0 instead of throwing.

#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

namespace switchyard::common {

inline const boost::json::object* objectField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

inline const boost::json::array* arrayField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

// Empty when absent or not a string.
inline std::string_view stringField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// False when absent or not a boolean.
inline bool boolField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

// 0 when absent or not a number; a fraction is truncated.
inline int64_t intField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return 0;
}

inline bool hasNumber(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_number();
}

}  // namespace switchyard::common
