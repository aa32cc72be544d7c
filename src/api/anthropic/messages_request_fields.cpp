#include "api/anthropic/messages_request_fields.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "api/json_kind.hpp"

namespace switchyard::anthropic_in {

namespace json = boost::json;

Error invalid(const std::string& path, std::string_view message) {
  return Error::make(ErrorClass::kBadRequest, path + ": " + std::string(message), path,
                     "invalid_request_error");
}

Error required(const std::string& path) { return invalid(path, "Field required"); }

Error wrongType(const std::string& path, std::string_view want, const json::value& got) {
  return invalid(
      path, "Input should be " + std::string(want) + ", got " + std::string(jsonKindName(got)));
}

Error unsupported(const std::string& path, std::string_view what) {
  return invalid(path, std::string(what) + " is not supported by this gateway for this model");
}

std::string join(const std::string& a, std::string_view b) {
  return a.empty() ? std::string(b) : a + "." + std::string(b);
}
std::string join(const std::string& a, size_t i) { return a + "." + std::to_string(i); }

Result<std::string_view> requiredString(const json::object& o, const std::string& path,
                                        std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return required(join(path, key));
  if (!v->is_string()) return wrongType(join(path, key), "a valid string", *v);
  return std::string_view(v->get_string());
}

Result<json::value> parseBody(std::string_view body, json::storage_ptr storage) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 128;  // tool input schemas nest deeply
  json::value root = json::parse(body, ec, std::move(storage), options);
  if (ec) {
    return Error::make(ErrorClass::kBadRequest,
                       "The request body is not valid JSON: " + ec.message(), {},
                       "invalid_request_error");
  }
  if (!root.is_object()) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_request_error");
  }
  return root;
}

}  // namespace switchyard::anthropic_in
