#include "api/openai/responses_request_fields.hpp"

#include "api/json_kind.hpp"

namespace switchyard::responses_in {

namespace json = boost::json;

Error wrongType(const std::string& path, std::string_view want, const json::value& got) {
  return Error::make(ErrorClass::kBadRequest,
                     "Invalid type for '" + path + "': expected " + std::string(want) +
                         ", but got " + std::string(jsonKindName(got)) + " instead.",
                     path, "invalid_type");
}

Error missing(const std::string& path) {
  return Error::make(ErrorClass::kBadRequest, "Missing required parameter: '" + path + "'.", path,
                     "missing_required_parameter");
}

Error invalidValue(const std::string& path, std::string_view message) {
  return Error::make(ErrorClass::kBadRequest,
                     "Invalid value for '" + path + "': " + std::string(message), path,
                     "invalid_value");
}

Error unsupported(const std::string& path, std::string_view what) {
  return Error::make(ErrorClass::kBadRequest,
                     "'" + path + "': " + std::string(what) +
                         " is only supported by Responses-native deployments (OpenAI, Azure "
                         "OpenAI); this model's provider cannot run it.",
                     path, "unsupported_parameter");
}

std::string member(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string element(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

Result<const json::value*> optionalString(const json::object& o, const std::string& path,
                                          std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_string()) return wrongType(member(path, key), "a string", *v);
  return v;
}

Result<std::string_view> requiredString(const json::object& o, const std::string& path,
                                        std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return missing(member(path, key));
  if (!v->is_string()) return wrongType(member(path, key), "a string", *v);
  return std::string_view(v->get_string());
}

}  // namespace switchyard::responses_in
