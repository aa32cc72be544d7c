#pragma once
// What the parts of the /v1/messages decoder share: Anthropic-style errors that name the field
// first ("max_tokens: Field required"), paths, typed field lookups and the body parse.

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard::anthropic_in {

Error invalid(const std::string& path, std::string_view message);
Error required(const std::string& path);
Error wrongType(const std::string& path, std::string_view want, const boost::json::value& got);
Error unsupported(const std::string& path, std::string_view what);

// What a body carries that the canonical (OpenAI-shaped) body cannot say: a server tool, a block,
// source or format only Anthropic knows. Such a part is left out of the canonical body; the first
// one's 400 (made with `unsupported`) is what an upstream of another format answers with, while
// an Anthropic upstream gets the client's own body, the part in it.
class LeftOut {
 public:
  void add(Error e) {
    if (!first_) first_ = std::move(e);
  }
  std::optional<Error> first() && { return std::move(first_); }

 private:
  std::optional<Error> first_;
};

inline bool isInteger(const boost::json::value& v) { return v.is_int64() || v.is_uint64(); }

// "a.b", or "b" at the root; "a.3" for an array index.
std::string join(const std::string& a, std::string_view b);
std::string join(const std::string& a, size_t i);

// Looks up an optional field of an expected JSON kind; null counts as absent.
template <class Check>
Result<const boost::json::value*> optionalField(const boost::json::object& o,
                                                const std::string& path, std::string_view key,
                                                std::string_view want, Check&& check) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!check(*v)) return wrongType(join(path, key), want, *v);
  return v;
}

Result<std::string_view> requiredString(const boost::json::object& o, const std::string& path,
                                        std::string_view key);

// The body as a JSON object, or the 400 saying it is not one.
Result<boost::json::value> parseBody(std::string_view body, boost::json::storage_ptr storage = {});

}  // namespace switchyard::anthropic_in
