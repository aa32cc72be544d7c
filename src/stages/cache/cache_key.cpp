#include "stages/cache/cache_key.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include "api/request.hpp"
#include "core/json_escape.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

// Top-level members that do not change what the model answers. Anything not named here is part
// of the key: an unknown member might change the answer, so two bodies that differ in it never
// share an entry.
constexpr std::array<std::string_view, 11> kNotAnswerMembers = {
    "user", "metadata", "stream",          "stream_options", "cache",           "model",
    "tags", "timeout",  "request_timeout", "num_retries",    "litellm_metadata"};

bool answerMember(std::string_view key) {
  return std::find(kNotAnswerMembers.begin(), kNotAnswerMembers.end(), key) ==
         kNotAnswerMembers.end();
}

void appendNumber(std::string& out, const json::value& v) {
  char buf[32];
  if (v.is_int64()) {
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_int64()).ptr);
  } else if (v.is_uint64()) {
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_uint64()).ptr);
  } else if (const double d = v.get_double(); isWholeNumber(d)) {
    out.append(buf, std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(d)).ptr);
  } else {
    // Shortest text that reads back as the same double: 0.70 and 0.7 agree.
    out.append(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
  }
}

void appendObject(const json::object& o, std::string& out, bool topLevel) {
  std::vector<const json::key_value_pair*> members;
  members.reserve(o.size());
  for (const auto& kv : o) {
    if (!topLevel || answerMember(kv.key())) members.push_back(&kv);
  }
  std::sort(members.begin(), members.end(),
            [](const auto* a, const auto* b) { return a->key() < b->key(); });
  out.push_back('{');
  for (size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendJsonString(out, members[i]->key());
    out.push_back(':');
    appendCanonicalJson(members[i]->value(), out);
  }
  out.push_back('}');
}

}  // namespace

void appendCanonicalJson(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::null:
      out.append("null");
      break;
    case json::kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      break;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      appendNumber(out, v);
      break;
    case json::kind::string:
      appendJsonString(out, v.get_string());
      break;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        appendCanonicalJson(e, out);
      }
      out.push_back(']');
      break;
    }
    case json::kind::object:
      appendObject(v.get_object(), out, false);
      break;
  }
}

std::string canonicalRequestText(const json::object& body) {
  std::string out;
  out.reserve(256);
  appendObject(body, out, true);
  return out;
}

CacheKey cacheKeyOf(const CacheKeyParts& parts) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
  for (std::string_view part :
       {parts.nameSpace, parts.endpoint, parts.route, parts.variant, parts.body}) {
    const uint64_t size = part.size();
    EVP_DigestUpdate(md, &size, sizeof size);
    EVP_DigestUpdate(md, part.data(), part.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(md, digest, &n);
  EVP_MD_CTX_free(md);
  CacheKey k;
  std::memcpy(&k.hi, digest, sizeof k.hi);
  std::memcpy(&k.lo, digest + 8, sizeof k.lo);
  return k;
}

}  // namespace switchyard
