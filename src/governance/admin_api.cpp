// The admin API (LiteLLM's /key, /team, /user, /customer and /spend routes): validate the JSON,
// write the store, update the in-memory registry. Runs on the admin thread, never on a worker.
#include <openssl/rand.h>

#include <boost/json.hpp>
#include <chrono>

#include "governance/admin_api_body.hpp"
#include "governance/admin_api_buckets.hpp"
#include "governance/admin_api_customers.hpp"
#include "governance/admin_api_manage.hpp"
#include "governance/admin_api_reply.hpp"
#include "governance/admin_api_spend.hpp"
#include "governance/governance.hpp"

namespace switchyard {

namespace json = boost::json;
using namespace admin_api;

namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
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

}  // namespace

AdminReply Governance::admin(std::string_view method, std::string_view path, std::string_view query,
                             std::string_view body) {
  const bool get = method == "GET";
  const int64_t now = nowMs();
  std::lock_guard lock(storeMutex_);
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
    if (auto r = save(p); !r) return storeError(r.error());
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
    if (auto r = save(*p); !r) return storeError(r.error());
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
      if (!all) return storeError(all.error());
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
      if (!r) return storeError(r.error());
      if (*r) deleted.emplace_back(id);
      registry_.erase(PrincipalKind::kKey, id);
    }
    if (deleted.empty()) return fail(404, "None of these keys exists.", "keys", "key_not_found");
    return ok(json::object{{"deleted_keys", std::move(deleted)}});
  }
  if (path == "/key/list" && get) {
    auto all = store_->list(PrincipalKind::kKey);
    if (!all) return storeError(all.error());
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
    if (auto r = save(p); !r) return storeError(r.error());
    return ok(principalJson(p));
  }
  if (path == "/team/info" && get) {
    auto id = queryParam(query, "team_id");
    if (!id || id->empty())
      return fail(400, "Missing query parameter 'team_id'.", "team_id", "missing_field");
    auto p = registry_.find(PrincipalKind::kTeam, *id);
    if (!p) return fail(404, "No such team.", "team_id", "team_not_found");
    auto all = store_->list(PrincipalKind::kKey);
    if (!all) return storeError(all.error());
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
    if (auto r = save(u); !r) return storeError(r.error());
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
    if (auto r = save(k); !r) return storeError(r.error());
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
    const auto key = queryParam(query, "api_key");
    return spendLogs(*store_, query, key ? keyIdOf(*key) : std::string());
  }
  if (path == "/global/spend/report" && get) return spendReport(*store_, query, now);
  if (path == "/spend/buckets" && get) {
    const auto key = queryParam(query, "api_key");
    return spendBuckets(*store_, registry_, query, key ? keyIdOf(*key) : std::string(), now);
  }
  ManageContext manageContext{*store_, registry_, keyIdOf,
                              [&] {
                                std::string key = "sk-" + randomToken(40);
                                return std::pair{key, hashKey(key)};
                              },
                              now};
  if (auto reply = manage(manageContext, method, path, query, body)) return *reply;
  if (auto reply = customers(manageContext, method, path, query, body)) return *reply;
  return fail(404, "Unknown admin route: " + std::string(method) + " " + std::string(path), {},
              "unknown_route");
}

bool isAdminPath(std::string_view path) {
  return path.starts_with("/key/") || path.starts_with("/team/") || path.starts_with("/user/") ||
         path.starts_with("/customer/") || path.starts_with("/end_user/") ||
         path == "/spend/logs" || path == "/global/spend/report" || path == "/spend/buckets";
}

}  // namespace switchyard
