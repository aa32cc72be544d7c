#include "stages/cache/cache_controls.hpp"

#include <charconv>

namespace switchyard {

namespace json = boost::json;

namespace {

Error badControl(std::string_view member, std::string_view expected) {
  return Error::make(ErrorClass::kBadRequest,
                     "cache." + std::string(member) + " must be " + std::string(expected) + ".",
                     "cache." + std::string(member), "invalid_cache_control");
}

std::optional<std::chrono::milliseconds> seconds(const json::value& v) {
  double s = 0;
  if (v.is_int64()) {
    s = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    s = static_cast<double>(v.get_uint64());
  } else if (v.is_double()) {
    s = v.get_double();
  } else {
    return std::nullopt;
  }
  if (!(s >= 0) || s > 1e9) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
}

// "no-cache, max-age=60": the directives this cache honours; others are ignored, as HTTP says.
void readHeader(std::string_view header, CacheControls& c) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view d = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!d.empty() && d.front() == ' ') d.remove_prefix(1);
    while (!d.empty() && d.back() == ' ') d.remove_suffix(1);
    const auto eq = d.find('=');
    const std::string_view name = d.substr(0, eq);
    if (name == "no-cache") {
      c.noCache = true;
    } else if (name == "no-store") {
      c.noStore = true;
    } else if ((name == "max-age" || name == "s-maxage") && eq != std::string_view::npos) {
      const std::string_view value = d.substr(eq + 1);
      int64_t s = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), s);
      if (ec == std::errc() && end == value.data() + value.size() && s >= 0) {
        c.maxAge = std::chrono::seconds(s);
      }
    }
  }
}

}  // namespace

Result<CacheControls> readCacheControls(const json::object& body, std::string_view header) {
  CacheControls c;
  readHeader(header, c);
  const json::value* member = body.if_contains("cache");
  if (member == nullptr || member->is_null()) return c;
  if (!member->is_object()) {
    return Error::make(ErrorClass::kBadRequest,
                       "cache must be an object like {\"no-cache\": true, \"ttl\": 300}.", "cache",
                       "invalid_cache_control");
  }
  for (const auto& [key, v] : member->get_object()) {
    if (key == "no-cache" || key == "no-store" || key == "use-cache") {
      if (!v.is_bool()) return badControl(key, "true or false");
      (key == "no-cache" ? c.noCache : key == "no-store" ? c.noStore : c.useCache) |= v.get_bool();
    } else if (key == "ttl" || key == "s-maxage" || key == "s-max-age") {
      auto s = seconds(v);
      if (!s) return badControl(key, "a number of seconds");
      (key == "ttl" ? c.ttl : c.maxAge) = *s;
    } else if (key == "namespace") {
      if (!v.is_string() || v.get_string().empty() || v.get_string().size() > 256) {
        return badControl(key, "a non-empty string of at most 256 characters");
      }
      c.nameSpace = v.get_string();
    } else {
      return Error::make(ErrorClass::kBadRequest,
                         "Unknown cache control '" + std::string(key) +
                             "' (LiteLLM's are no-cache, no-store, ttl, s-maxage, namespace, "
                             "use-cache).",
                         "cache." + std::string(key), "invalid_cache_control");
    }
  }
  return c;
}

}  // namespace switchyard
