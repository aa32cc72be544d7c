#pragma once
// What the parts of the /v1/responses decoder share: OpenAI-style 400s that name the field by its
// path ("input[2].content[0].image_url"), typed lookups, and the list of what a translated
// backend cannot be given (LeftOut).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard::responses_in {

Error wrongType(const std::string& path, std::string_view want, const boost::json::value& got);
Error missing(const std::string& path);
Error invalidValue(const std::string& path, std::string_view message);
// A field only a Responses-native upstream (OpenAI, Azure OpenAI) can act on.
Error unsupported(const std::string& path, std::string_view what);

// What the body carries that the canonical chat body cannot say (a hosted tool, an item only the
// Responses API knows): left out of the canonical body. The first one's 400 is what a translated
// upstream answers with; a Responses-native upstream is sent the client's own body, the part in it.
class LeftOut {
 public:
  void add(Error e) {
    if (!first_) first_ = std::move(e);
  }
  bool any() const { return first_.has_value(); }
  std::optional<Error> first() && { return std::move(first_); }

 private:
  std::optional<Error> first_;
};

// "a.b" ("b" at the root), "a[3]".
std::string member(const std::string& path, std::string_view key);
std::string element(const std::string& path, size_t i);

// A member of an expected kind; null counts as absent (nullptr).
Result<const boost::json::value*> optionalString(const boost::json::object& o,
                                                 const std::string& path, std::string_view key);
Result<std::string_view> requiredString(const boost::json::object& o, const std::string& path,
                                        std::string_view key);

}  // namespace switchyard::responses_in
