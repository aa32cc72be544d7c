// The admin API (LiteLLM's /key, /team, /user and /spend routes): validate the JSON, write the
// store, update the in-memory registry. Runs on the admin thread, never on a worker.
#include <openssl/rand.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <span>

#include "governance/governance.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

enum class Type { kString, kNumber, kCount, kBool, kStringList, kObject, kDuration, kTimestamp };

struct Field {
  std::string_view name;
  Type type;
};

// The fields every principal takes; each route adds its own.
constexpr Field kLimitFields[] = {{"models", Type::kStringList},
                                  {"max_budget", Type::kNumber},
                                  {"soft_budget", Type::kNumber},
                                  {"budget_duration", Type::kDuration},
                                  {"tpm_limit", Type::kCount},
                                  {"rpm_limit", Type::kCount},
                                  {"max_parallel_requests", Type::kCount},
                                  {"metadata", Type::kObject},
                                  {"blocked", Type::kBool}};
constexpr Field kKeyFields[] = {{"key_alias", Type::kString},  {"duration", Type::kDuration},
                                {"expires", Type::kTimestamp}, {"team_id", Type::kString},
                                {"user_id", Type::kString},    {"key", Type::kString}};
constexpr Field kTeamFields[] = {{"team_id", Type::kString}, {"team_alias", Type::kString}};
constexpr Field kUserFields[] = {{"user_id", Type::kString},   {"user_email", Type::kString},
                                 {"team_id", Type::kString},   {"user_alias", Type::kString},
                                 {"key_alias", Type::kString}, {"duration", Type::kDuration}};
constexpr Field kDeleteFields[] = {{"keys", Type::kStringList}, {"key_aliases", Type::kStringList}};

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

AdminReply fail(int status, std::string message, std::string param = {},
                std::string code = "invalid_request") {
  Error e = Error::make(status == 404   ? ErrorClass::kNotFound
                        : status == 403 ? ErrorClass::kForbidden
                        : status >= 500 ? ErrorClass::kInternal
                                        : ErrorClass::kBadRequest,
                        std::move(message), std::move(param), std::move(code));
  e.status = status;
  return {status, e.toOpenAiJson()};
}

AdminReply ok(const json::value& v) { return {200, json::serialize(v)}; }

std::string iso(int64_t ms) {
  if (ms <= 0) return {};
  const std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json::value isoOrNull(int64_t ms) { return ms > 0 ? json::value(iso(ms)) : json::value(nullptr); }

// "2026-11-25", "2026-11-25T10:00:00" or with a trailing Z: unix ms (UTC); nullopt if malformed.
std::optional<int64_t> parseDate(std::string_view s) {
  std::tm tm{};
  const std::string text(s);
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (!end || (*end != '\0' && std::string_view(end) != "Z")) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

std::string typeName(Type t) {
  switch (t) {
    case Type::kString:
      return "a string";
    case Type::kNumber:
      return "a number >= 0";
    case Type::kCount:
      return "a whole number from 0 to 10^15";
    case Type::kBool:
      return "true or false";
    case Type::kStringList:
      return "a list of strings";
    case Type::kObject:
      return "an object";
    case Type::kDuration:
      return "a duration such as \"30s\", \"15m\", \"24h\", \"30d\" or \"1mo\"";
    case Type::kTimestamp:
      return "a date such as \"2026-12-31\" or \"2026-12-31T23:59:59Z\"";
  }
  return "";
}

bool validValue(const json::value& v, Type t) {
  switch (t) {
    case Type::kString:
      return v.is_string();
    case Type::kNumber: {
      if (!v.is_number()) return false;
      const double d = v.to_number<double>();
      return std::isfinite(d) && d >= 0;
    }
    case Type::kCount: {
      // Whole numbers up to 10^15: any real limit, and exact as a double.
      if (!v.is_number()) return false;
      const double d = v.to_number<double>();
      return d >= 0 && d <= 1e15 && std::floor(d) == d;
    }
    case Type::kBool:
      return v.is_bool();
    case Type::kStringList:
      if (!v.is_array()) return false;
      for (const auto& e : v.get_array()) {
        if (!e.is_string()) return false;
      }
      return true;
    case Type::kObject:
      return v.is_object();
    case Type::kDuration:
      return v.is_string() && parseBudgetDuration(v.get_string()).has_value();
    case Type::kTimestamp:
      return v.is_string() && parseDate(v.get_string()).has_value();
  }
  return false;
}

// The body as an object whose every field is known and well typed; null means "not set".
Result<json::object> parseBody(std::string_view body, std::span<const Field> own, bool withLimits) {
  boost::system::error_code ec;
  json::value doc = json::parse(body.empty() ? std::string_view("{}") : body, ec);
  if (ec || !doc.is_object()) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_json");
  }
  for (const auto& [name, value] : doc.get_object()) {
    const Field* field = nullptr;
    for (const auto& f : own) {
      if (f.name == name) field = &f;
    }
    if (withLimits) {
      for (const auto& f : kLimitFields) {
        if (f.name == name) field = &f;
      }
    }
    if (!field) {
      std::string allowed;
      for (const auto& f : own) allowed += (allowed.empty() ? "" : ", ") + std::string(f.name);
      if (withLimits) {
        for (const auto& f : kLimitFields) allowed += ", " + std::string(f.name);
      }
      return Error::make(ErrorClass::kBadRequest,
                         "Unknown field '" + std::string(name) + "'. Allowed: " + allowed + ".",
                         std::string(name), "unknown_field");
    }
    if (!value.is_null() && !validValue(value, field->type)) {
      return Error::make(ErrorClass::kBadRequest,
                         "'" + std::string(name) + "' must be " + typeName(field->type) + ".",
                         std::string(name), "invalid_field");
    }
  }
  return std::move(doc.get_object());
}

const json::value* field(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && !v->is_null() ? v : nullptr;
}

std::optional<double> number(const json::object& o, std::string_view name) {
  if (const auto* v = field(o, name)) return v->to_number<double>();
  return std::nullopt;
}

std::optional<int64_t> count(const json::object& o, std::string_view name) {
  if (const auto* v = field(o, name)) return static_cast<int64_t>(v->to_number<double>());
  return std::nullopt;
}

std::string string(const json::object& o, std::string_view name) {
  if (const auto* v = field(o, name)) return std::string(v->get_string());
  return {};
}

// Applies the limit fields present in the body; absent fields keep their value, null clears.
void applyLimits(Principal& p, const json::object& body, int64_t now) {
  auto set = [&](std::string_view name, auto& target, auto read) {
    if (body.contains(name)) target = read(body, name);
  };
  set("max_budget", p.maxBudget, number);
  set("soft_budget", p.softBudget, number);
  set("tpm_limit", p.tpmLimit, count);
  set("rpm_limit", p.rpmLimit, count);
  set("max_parallel_requests", p.maxParallelRequests, count);
  if (body.contains("models")) {
    p.models.clear();
    if (const auto* v = field(body, "models")) {
      for (const auto& m : v->get_array()) p.models.emplace_back(m.get_string());
    }
  }
  if (body.contains("metadata")) {
    const auto* v = field(body, "metadata");
    p.metadata = v ? json::serialize(*v) : "{}";
  }
  if (const auto* v = field(body, "blocked")) p.blocked = v->get_bool();
  if (body.contains("budget_duration")) {
    p.budgetDuration = string(body, "budget_duration");
    p.budgetResetAt = p.budgetDuration.empty() ? 0 : now + *parseBudgetDuration(p.budgetDuration);
  }
}

Result<void> checkBudgets(const Principal& p) {
  if (p.maxBudget && p.softBudget && *p.softBudget > *p.maxBudget) {
    return Error::make(ErrorClass::kBadRequest, "soft_budget must not exceed max_budget.",
                       "soft_budget", "invalid_field");
  }
  return {};
}

json::object principalJson(const Principal& p) {
  json::object o;
  json::array models;
  for (const auto& m : p.models) models.emplace_back(m);
  boost::system::error_code ec;
  json::value metadata = json::parse(p.metadata, ec);
  if (ec) metadata = json::object();
  auto opt = [](const auto& v) { return v ? json::value(*v) : json::value(nullptr); };
  switch (p.kind) {
    case PrincipalKind::kKey:
      o["token"] = p.id;
      o["key_name"] = p.keyName;
      o["key_alias"] = p.alias.empty() ? json::value(nullptr) : json::value(p.alias);
      o["expires"] = isoOrNull(p.expiresAt);
      o["team_id"] = p.teamId.empty() ? json::value(nullptr) : json::value(p.teamId);
      o["user_id"] = p.userId.empty() ? json::value(nullptr) : json::value(p.userId);
      break;
    case PrincipalKind::kTeam:
      o["team_id"] = p.id;
      o["team_alias"] = p.alias.empty() ? json::value(nullptr) : json::value(p.alias);
      break;
    case PrincipalKind::kUser:
      o["user_id"] = p.id;
      o["user_email"] = p.email.empty() ? json::value(nullptr) : json::value(p.email);
      o["team_id"] = p.teamId.empty() ? json::value(nullptr) : json::value(p.teamId);
      break;
  }
  o["models"] = std::move(models);
  o["spend"] = p.spend;
  o["max_budget"] = opt(p.maxBudget);
  o["soft_budget"] = opt(p.softBudget);
  o["budget_duration"] =
      p.budgetDuration.empty() ? json::value(nullptr) : json::value(p.budgetDuration);
  o["budget_reset_at"] = isoOrNull(p.budgetResetAt);
  o["tpm_limit"] = opt(p.tpmLimit);
  o["rpm_limit"] = opt(p.rpmLimit);
  o["max_parallel_requests"] = opt(p.maxParallelRequests);
  o["metadata"] = std::move(metadata);
  o["blocked"] = p.blocked;
  o["created_at"] = isoOrNull(p.createdAt);
  o["updated_at"] = isoOrNull(p.updatedAt);
  return o;
}

std::string randomToken(size_t bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  std::string out;
  for (unsigned char c : raw) out += kAlphabet[c & 63];
  return out;
}

std::string percentDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<std::string> queryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

}  // namespace

AdminReply Governance::admin(std::string_view method, std::string_view path, std::string_view query,
                             std::string_view body) {
  const bool get = method == "GET";
  const int64_t now = nowMs();
  std::lock_guard lock(storeMutex_);
  auto storeFailed = [](const Error& e) {
    return fail(500, "Store error: " + e.message, {}, "store_error");
  };
  // A key is named by itself ("sk-...") or by its token (the hash /key/info and /key/list show).
  auto keyIdOf = [&](std::string_view k) {
    return k.starts_with("sk-") ? hashKey(k) : std::string(k);
  };
  auto save = [&](Principal& p) -> Result<void> {
    p.updatedAt = now;
    if (auto r = store_->put(p); !r) return r.error();
    registry_.put(p);
    return {};
  };
  auto requireExisting = [&](PrincipalKind kind, const std::string& id) -> Result<void> {
    if (id.empty() || registry_.find(kind, id)) return {};
    return Error::make(ErrorClass::kBadRequest,
                       std::string(kindName(kind)) + " '" + id + "' does not exist.",
                       std::string(kindName(kind)) + "_id", "invalid_field");
  };
  auto badRequest = [](const Error& e) { return AdminReply{400, e.toOpenAiJson()}; };

  if (path == "/key/generate" && !get) {
    auto b = parseBody(body, kKeyFields, true);
    if (!b) return badRequest(b.error());
    if (b->contains("key")) {
      return fail(400, "Custom key values are not accepted: the gateway generates every key.",
                  "key", "invalid_field");
    }
    std::string key = "sk-" + randomToken(40);
    Principal p;
    p.kind = PrincipalKind::kKey;
    p.id = hashKey(key);
    p.keyName = "sk-..." + key.substr(key.size() - 4);
    p.alias = string(*b, "key_alias");
    p.teamId = string(*b, "team_id");
    p.userId = string(*b, "user_id");
    if (auto r = requireExisting(PrincipalKind::kTeam, p.teamId); !r) return badRequest(r.error());
    if (auto r = requireExisting(PrincipalKind::kUser, p.userId); !r) return badRequest(r.error());
    if (const auto* d = field(*b, "duration")) {
      p.expiresAt = now + *parseBudgetDuration(d->get_string());
    } else if (const auto* e = field(*b, "expires")) {
      p.expiresAt = *parseDate(e->get_string());
    }
    applyLimits(p, *b, now);
    if (auto r = checkBudgets(p); !r) return badRequest(r.error());
    p.createdAt = now;
    if (auto r = save(p); !r) return storeFailed(r.error());
    json::object out = principalJson(p);
    out["key"] = key;  // the only time the key is shown
    return ok(out);
  }
  if (path == "/key/info" && get) {
    auto k = queryParam(query, "key");
    if (!k || k->empty())
      return fail(400, "Missing query parameter 'key'.", "key", "missing_field");
    auto p = registry_.find(PrincipalKind::kKey, keyIdOf(*k));
    if (!p) return fail(404, "No such key.", "key", "key_not_found");
    return ok(json::object{{"key", p->id}, {"info", principalJson(*p)}});
  }
  if (path == "/key/update" && !get) {
    auto b = parseBody(body, kKeyFields, true);
    if (!b) return badRequest(b.error());
    const std::string k = string(*b, "key");
    if (k.empty()) return fail(400, "Missing field 'key'.", "key", "missing_field");
    auto p = registry_.find(PrincipalKind::kKey, keyIdOf(k));
    if (!p) return fail(404, "No such key.", "key", "key_not_found");
    if (b->contains("key_alias")) p->alias = string(*b, "key_alias");
    if (b->contains("team_id")) p->teamId = string(*b, "team_id");
    if (b->contains("user_id")) p->userId = string(*b, "user_id");
    if (auto r = requireExisting(PrincipalKind::kTeam, p->teamId); !r) return badRequest(r.error());
    if (auto r = requireExisting(PrincipalKind::kUser, p->userId); !r) return badRequest(r.error());
    if (b->contains("duration")) {
      const auto* d = field(*b, "duration");
      p->expiresAt = d ? now + *parseBudgetDuration(d->get_string()) : 0;
    } else if (b->contains("expires")) {
      const auto* e = field(*b, "expires");
      p->expiresAt = e ? *parseDate(e->get_string()) : 0;
    }
    applyLimits(*p, *b, now);
    if (auto r = checkBudgets(*p); !r) return badRequest(r.error());
    if (auto r = save(*p); !r) return storeFailed(r.error());
    return ok(principalJson(*p));
  }
  if (path == "/key/delete" && !get) {
    auto b = parseBody(body, kDeleteFields, false);
    if (!b) return badRequest(b.error());
    std::vector<std::string> ids;
    if (const auto* keys = field(*b, "keys")) {
      for (const auto& k : keys->get_array()) ids.push_back(keyIdOf(k.get_string()));
    }
    if (const auto* aliases = field(*b, "key_aliases")) {
      auto all = store_->list(PrincipalKind::kKey);
      if (!all) return storeFailed(all.error());
      for (const auto& a : aliases->get_array()) {
        for (const auto& p : *all) {
          if (p.alias == a.get_string()) ids.push_back(p.id);
        }
      }
    }
    if (ids.empty())
      return fail(400, "Give 'keys' or 'key_aliases' to delete.", "keys", "missing_field");
    json::array deleted;
    for (const auto& id : ids) {
      auto r = store_->remove(PrincipalKind::kKey, id);
      if (!r) return storeFailed(r.error());
      if (*r) deleted.emplace_back(id);
      registry_.erase(PrincipalKind::kKey, id);
    }
    if (deleted.empty()) return fail(404, "None of these keys exists.", "keys", "key_not_found");
    return ok(json::object{{"deleted_keys", std::move(deleted)}});
  }
  if (path == "/key/list" && get) {
    auto all = store_->list(PrincipalKind::kKey);
    if (!all) return storeFailed(all.error());
    const auto team = queryParam(query, "team_id");
    const auto user = queryParam(query, "user_id");
    const bool full = queryParam(query, "return_full_object").value_or("") == "true";
    json::array keys;
    for (const auto& stored : *all) {
      if ((team && stored.teamId != *team) || (user && stored.userId != *user)) continue;
      const auto p = registry_.find(PrincipalKind::kKey, stored.id).value_or(stored);
      if (full) {
        keys.emplace_back(principalJson(p));
      } else {
        keys.emplace_back(p.id);
      }
    }
    const auto total = static_cast<int64_t>(keys.size());
    return ok(json::object{{"keys", std::move(keys)},
                           {"total_count", total},
                           {"current_page", 1},
                           {"total_pages", 1}});
  }
  if (path == "/team/new" && !get) {
    auto b = parseBody(body, kTeamFields, true);
    if (!b) return badRequest(b.error());
    Principal p;
    p.kind = PrincipalKind::kTeam;
    p.id = string(*b, "team_id");
    if (p.id.empty()) p.id = "team-" + randomToken(16);
    if (registry_.find(PrincipalKind::kTeam, p.id)) {
      return fail(400, "Team '" + p.id + "' already exists.", "team_id", "already_exists");
    }
    p.alias = string(*b, "team_alias");
    applyLimits(p, *b, now);
    if (auto r = checkBudgets(p); !r) return badRequest(r.error());
    p.createdAt = now;
    if (auto r = save(p); !r) return storeFailed(r.error());
    return ok(principalJson(p));
  }
  if (path == "/team/info" && get) {
    auto id = queryParam(query, "team_id");
    if (!id || id->empty())
      return fail(400, "Missing query parameter 'team_id'.", "team_id", "missing_field");
    auto p = registry_.find(PrincipalKind::kTeam, *id);
    if (!p) return fail(404, "No such team.", "team_id", "team_not_found");
    auto all = store_->list(PrincipalKind::kKey);
    if (!all) return storeFailed(all.error());
    json::array keys;
    for (const auto& k : *all) {
      if (k.teamId == *id)
        keys.emplace_back(principalJson(registry_.find(PrincipalKind::kKey, k.id).value_or(k)));
    }
    return ok(json::object{
        {"team_id", p->id}, {"team_info", principalJson(*p)}, {"keys", std::move(keys)}});
  }
  if (path == "/user/new" && !get) {
    auto b = parseBody(body, kUserFields, true);
    if (!b) return badRequest(b.error());
    Principal u;
    u.kind = PrincipalKind::kUser;
    u.id = string(*b, "user_id");
    if (u.id.empty()) u.id = "user-" + randomToken(16);
    if (registry_.find(PrincipalKind::kUser, u.id)) {
      return fail(400, "User '" + u.id + "' already exists.", "user_id", "already_exists");
    }
    u.email = string(*b, "user_email");
    u.alias = string(*b, "user_alias");
    u.teamId = string(*b, "team_id");
    if (auto r = requireExisting(PrincipalKind::kTeam, u.teamId); !r) return badRequest(r.error());
    applyLimits(u, *b, now);
    if (auto r = checkBudgets(u); !r) return badRequest(r.error());
    u.createdAt = now;
    if (auto r = save(u); !r) return storeFailed(r.error());
    // As LiteLLM does, a new user gets a key of its own (limits are the user's, not the key's).
    std::string key = "sk-" + randomToken(40);
    Principal k;
    k.kind = PrincipalKind::kKey;
    k.id = hashKey(key);
    k.keyName = "sk-..." + key.substr(key.size() - 4);
    k.alias = string(*b, "key_alias");
    k.userId = u.id;
    k.teamId = u.teamId;
    k.models = u.models;
    if (const auto* d = field(*b, "duration"))
      k.expiresAt = now + *parseBudgetDuration(d->get_string());
    k.createdAt = now;
    if (auto r = save(k); !r) return storeFailed(r.error());
    json::object out = principalJson(u);
    out["key"] = key;
    out["token"] = k.id;
    return ok(out);
  }
  if (path == "/user/info" && get) {
    auto id = queryParam(query, "user_id");
    if (!id || id->empty())
      return fail(400, "Missing query parameter 'user_id'.", "user_id", "missing_field");
    auto p = registry_.find(PrincipalKind::kUser, *id);
    if (!p) return fail(404, "No such user.", "user_id", "user_not_found");
    return ok(json::object{{"user_id", p->id}, {"user_info", principalJson(*p)}});
  }
  if (path == "/spend/logs" && get) {
    SpendQuery q;
    if (auto k = queryParam(query, "api_key")) q.keyId = keyIdOf(*k);
    q.userId = queryParam(query, "user_id").value_or("");
    q.teamId = queryParam(query, "team_id").value_or("");
    q.requestId = queryParam(query, "request_id").value_or("");
    q.model = queryParam(query, "model").value_or("");
    for (auto [name, target, endOfDay] :
         {std::tuple{"start_date", &q.startMs, false}, std::tuple{"end_date", &q.endMs, true}}) {
      if (auto d = queryParam(query, name)) {
        auto ms = parseDate(*d);
        if (!ms)
          return fail(400,
                      std::string("'") + name + "' must be " + typeName(Type::kTimestamp) + ".",
                      name, "invalid_field");
        // A bare end date includes that whole day.
        *target = *ms + (endOfDay && d->size() == 10 ? 86'400'000 : 0);
      }
    }
    if (auto l = queryParam(query, "limit")) {
      char* end = nullptr;
      const long long n = std::strtoll(l->c_str(), &end, 10);
      if (l->empty() || *end != '\0' || n < 1 || n > 10000) {
        return fail(400, "'limit' must be a whole number from 1 to 10000.", "limit",
                    "invalid_field");
      }
      q.limit = n;
    }
    auto rows = store_->spendLogs(q);
    if (!rows) return storeFailed(rows.error());
    json::array out;
    for (const auto& r : *rows) {
      out.emplace_back(json::object{
          {"request_id", r.requestId},
          {"api_key", r.keyId},
          {"key_alias", r.keyAlias},
          {"team_id", r.teamId},
          {"user", r.userId},
          {"model", r.model},
          {"model_group", r.modelGroup},
          {"model_id", r.deployment},
          {"custom_llm_provider", r.provider},
          {"startTime", iso(r.startMs)},
          {"endTime", iso(r.endMs)},
          {"prompt_tokens", r.promptTokens},
          {"completion_tokens", r.completionTokens},
          {"total_tokens", r.totalTokens},
          {"spend", r.spend},
          {"status", r.status >= 200 && r.status < 400 ? "success" : "failure"},
          {"metadata", json::object{{"cached_tokens", r.cachedTokens},
                                    {"cache_write_tokens", r.cacheWriteTokens},
                                    {"reasoning_tokens", r.reasoningTokens},
                                    {"cost_known", r.costKnown},
                                    {"http_status", r.status},
                                    {"stream", r.stream}}},
          {"messages", r.requestBody.empty() ? json::value(nullptr) : json::value(r.requestBody)}});
    }
    return ok(out);
  }
  if (path == "/global/spend/report" && get) {
    const std::string by = queryParam(query, "group_by").value_or("team");
    ReportGroup group;
    std::string column;
    if (by == "team") {
      group = ReportGroup::kTeam, column = "team_id";
    } else if (by == "api_key" || by == "key") {
      group = ReportGroup::kKey, column = "api_key";
    } else if (by == "user" || by == "customer") {
      group = ReportGroup::kUser, column = "user_id";
    } else if (by == "model") {
      group = ReportGroup::kModel, column = "model";
    } else if (by == "day") {
      group = ReportGroup::kDay, column = "day";
    } else {
      return fail(400, "'group_by' must be one of team, api_key, user, customer, model, day.",
                  "group_by", "invalid_field");
    }
    int64_t start = 0;
    int64_t end = now + 86'400'000;
    for (auto [name, target, endOfDay] :
         {std::tuple{"start_date", &start, false}, std::tuple{"end_date", &end, true}}) {
      if (auto d = queryParam(query, name)) {
        auto ms = parseDate(*d);
        if (!ms)
          return fail(400,
                      std::string("'") + name + "' must be " + typeName(Type::kTimestamp) + ".",
                      name, "invalid_field");
        *target = *ms + (endOfDay && d->size() == 10 ? 86'400'000 : 0);
      }
    }
    auto rows = store_->spendReport(group, start, end);
    if (!rows) return storeFailed(rows.error());
    json::array out;
    for (const auto& r : *rows) {
      out.emplace_back(json::object{{"group_by", by},
                                    {column, r.group},
                                    {"total_spend", r.spend},
                                    {"total_tokens", r.totalTokens},
                                    {"requests", r.requests}});
    }
    return ok(out);
  }
  return fail(404, "Unknown admin route: " + std::string(method) + " " + std::string(path), {},
              "unknown_route");
}

bool isAdminPath(std::string_view path) {
  return path.starts_with("/key/") || path.starts_with("/team/") || path.starts_with("/user/") ||
         path == "/spend/logs" || path == "/global/spend/report";
}

}  // namespace switchyard
