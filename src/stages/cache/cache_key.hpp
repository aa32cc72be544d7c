#pragma once
// What identifies a cached answer: the namespace it belongs to, the endpoint, the route and the
// request body with the members that cannot change the answer left out, in one canonical text
// (members sorted, whole reals written as integers), hashed.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard {

struct CacheKey {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool operator==(const CacheKey&) const = default;
};

struct CacheKeyHash {
  size_t operator()(const CacheKey& k) const { return static_cast<size_t>(k.lo); }
};

// Appends the canonical text of `v`: object members sorted by name, numbers that are whole
// written as integers (1.0 and 1 ask the same), strings escaped as JSON.
void appendCanonicalJson(const boost::json::value& v, std::string& out);

// The canonical text of a request body, without the members that only say how to deliver or
// account for the answer (user, metadata, stream, stream_options, cache, model, ...): the model
// is keyed as the route instead.
std::string canonicalRequestText(const boost::json::object& body);

// What a key is made of. `variant` carries what outside the body changes the answer (the
// anthropic-version and anthropic-beta headers of a Messages request).
struct CacheKeyParts {
  std::string_view nameSpace;
  std::string_view endpoint;  // "chat", "messages", ...
  std::string_view route;     // the model group the client named
  std::string_view variant;
  std::string_view body;  // canonicalRequestText
};

// SHA-256 of the parts, each length-prefixed so that no two different part lists share a text,
// cut to 128 bits.
CacheKey cacheKeyOf(const CacheKeyParts& parts);

}  // namespace switchyard
