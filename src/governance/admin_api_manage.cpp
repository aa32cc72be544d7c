#include "governance/admin_api_manage.hpp"

#include <boost/json.hpp>

#include "governance/admin_api_body.hpp"
#include "governance/admin_api_reply.hpp"

namespace switchyard::admin_api {

namespace json = boost::json;

namespace {

constexpr Field kKeyRef[] = {{"key", Type::kString}};
constexpr Field kKeyRegenerate[] = {{"key", Type::kString}, {"new_key_alias", Type::kString}};
constexpr Field kTeamIds[] = {{"team_ids", Type::kStringList}};
constexpr Field kUserIds[] = {{"user_ids", Type::kStringList}};
constexpr Field kMemberDelete[] = {
    {"team_id", Type::kString}, {"user_id", Type::kString}, {"user_email", Type::kString}};

AdminReply badRequest(const Error& e) { return AdminReply{400, e.toOpenAiJson()}; }

Result<void> save(ManageContext& c, Principal& p) {
  p.updatedAt = c.now;
  if (auto r = c.store.put(p); !r) return r.error();
  c.registry.put(p);
  return {};
}

// Removes a principal from the store and the registry; false when it did not exist.
Result<bool> removeOne(ManageContext& c, PrincipalKind kind, const std::string& id) {
  auto r = c.store.remove(kind, id);
  if (!r) return r.error();
  c.registry.erase(kind, id);
  return *r;
}

std::optional<Principal> userByIdOrEmail(ManageContext& c, const std::string& id,
                                         const std::string& email) {
  if (!id.empty()) return c.registry.find(PrincipalKind::kUser, id);
  if (email.empty()) return std::nullopt;
  auto all = c.store.list(PrincipalKind::kUser);
  if (!all) return std::nullopt;
  for (const auto& u : *all) {
    if (u.email == email) return c.registry.find(PrincipalKind::kUser, u.id).value_or(u);
  }
  return std::nullopt;
}

AdminReply keyBlock(ManageContext& c, std::string_view body, bool blocked) {
  auto b = parseBody(body, kKeyRef, false);
  if (!b) return badRequest(b.error());
  const std::string k = string(*b, "key");
  if (k.empty()) return fail(400, "Missing field 'key'.", "key", "missing_field");
  auto p = c.registry.find(PrincipalKind::kKey, c.keyIdOf(k));
  if (!p) return fail(404, "No such key.", "key", "key_not_found");
  p->blocked = blocked;
  if (auto r = save(c, *p); !r) return storeError(r.error());
  return ok(principalJson(*p));
}

// A new key for the same record: limits, spend, team and user stay; the old key stops working.
// pathKey: LiteLLM's /key/{key}/regenerate form; otherwise the body's "key".
AdminReply keyRegenerate(ManageContext& c, std::string_view body, std::string_view pathKey) {
  auto b = parseBody(body, kKeyRegenerate, true);
  if (!b) return badRequest(b.error());
  const std::string k = pathKey.empty() ? string(*b, "key") : std::string(pathKey);
  if (k.empty()) return fail(400, "Missing field 'key'.", "key", "missing_field");
  auto old = c.registry.find(PrincipalKind::kKey, c.keyIdOf(k));
  if (!old) return fail(404, "No such key.", "key", "key_not_found");
  Principal p = *old;
  auto [key, id] = c.newKey();
  p.id = id;
  p.keyName = "sk-..." + key.substr(key.size() - 4);
  if (b->contains("new_key_alias")) p.alias = string(*b, "new_key_alias");
  applyLimits(p, *b, c.now);
  if (auto r = checkBudgets(p); !r) return badRequest(r.error());
  if (auto r = save(c, p); !r) return storeError(r.error());
  if (auto r = removeOne(c, PrincipalKind::kKey, old->id); !r) return storeError(r.error());
  json::object out = principalJson(p);
  out["key"] = key;  // shown once, as by /key/generate
  out["token"] = p.id;
  return ok(out);
}

AdminReply teamUpdate(ManageContext& c, std::string_view body) {
  auto b = parseBody(body, kTeamFields, true);
  if (!b) return badRequest(b.error());
  const std::string id = string(*b, "team_id");
  if (id.empty()) return fail(400, "Missing field 'team_id'.", "team_id", "missing_field");
  auto p = c.registry.find(PrincipalKind::kTeam, id);
  if (!p) return fail(404, "No such team.", "team_id", "team_not_found");
  if (b->contains("team_alias")) p->alias = string(*b, "team_alias");
  applyLimits(*p, *b, c.now);
  if (auto r = checkBudgets(*p); !r) return badRequest(r.error());
  if (auto r = save(c, *p); !r) return storeError(r.error());
  return ok(json::object{{"team_id", p->id}, {"data", principalJson(*p)}});
}

// Deletes the teams (or users) named by `field`, and their keys, as LiteLLM does.
AdminReply deleteOwners(ManageContext& c, std::string_view body, PrincipalKind kind) {
  const bool team = kind == PrincipalKind::kTeam;
  const std::string_view listField = team ? "team_ids" : "user_ids";
  auto b = parseBody(body, team ? std::span<const Field>(kTeamIds) : kUserIds, false);
  if (!b) return badRequest(b.error());
  const auto* ids = field(*b, listField);
  if (!ids || ids->get_array().empty()) {
    return fail(400, "Missing field '" + std::string(listField) + "'.", std::string(listField),
                "missing_field");
  }
  auto keys = c.store.list(PrincipalKind::kKey);
  if (!keys) return storeError(keys.error());
  json::array deleted;
  for (const auto& v : ids->get_array()) {
    const std::string id(v.get_string());
    auto gone = removeOne(c, kind, id);
    if (!gone) return storeError(gone.error());
    if (!*gone) continue;
    deleted.emplace_back(id);
    for (const auto& k : *keys) {
      if ((team ? k.teamId : k.userId) != id) continue;
      if (auto r = removeOne(c, PrincipalKind::kKey, k.id); !r) return storeError(r.error());
    }
  }
  if (deleted.empty()) {
    return fail(404, std::string("None of these ") + (team ? "teams" : "users") + " exists.",
                std::string(listField), team ? "team_not_found" : "user_not_found");
  }
  return ok(json::object{{team ? "deleted_teams" : "deleted_users", std::move(deleted)}});
}

AdminReply teamList(ManageContext& c) {
  auto all = c.store.list(PrincipalKind::kTeam);
  if (!all) return storeError(all.error());
  auto users = c.store.list(PrincipalKind::kUser);
  if (!users) return storeError(users.error());
  json::array teams;
  for (const auto& stored : *all) {
    json::object t =
        principalJson(c.registry.find(PrincipalKind::kTeam, stored.id).value_or(stored));
    json::array members;
    for (const auto& u : *users) {
      if (u.teamId == stored.id) {
        members.emplace_back(json::object{{"user_id", u.id}, {"role", "user"}});
      }
    }
    t["members_with_roles"] = std::move(members);
    teams.emplace_back(std::move(t));
  }
  return ok(teams);
}

// {team_id, member: {user_id | user_email, role} or a list of them}. A user that does not exist
// yet is created, as LiteLLM does. A user belongs to one team here: adding moves it.
AdminReply teamMemberAdd(ManageContext& c, std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body.empty() ? std::string_view("{}") : body, ec);
  if (ec || !doc.is_object()) {
    return fail(400, "The request body must be a JSON object.", {}, "invalid_json");
  }
  const auto& o = doc.get_object();
  for (const auto& [name, value] : o) {
    if (name != "team_id" && name != "member" && name != "max_budget_in_team") {
      return fail(400, "Unknown field '" + std::string(name) + "'. Allowed: team_id, member.",
                  std::string(name), "unknown_field");
    }
  }
  const auto* teamId = o.if_contains("team_id");
  if (!teamId || !teamId->is_string() || teamId->get_string().empty()) {
    return fail(400, "Missing field 'team_id' (a string).", "team_id", "missing_field");
  }
  auto team = c.registry.find(PrincipalKind::kTeam, std::string(teamId->get_string()));
  if (!team) return fail(404, "No such team.", "team_id", "team_not_found");
  const auto* member = o.if_contains("member");
  json::array members;
  if (member && member->is_object()) members.push_back(*member);
  if (member && member->is_array()) members = member->get_array();
  if (members.empty()) {
    return fail(400, "'member' must be an object {user_id | user_email, role} or a list of them.",
                "member", "missing_field");
  }
  json::array updated;
  for (const auto& m : members) {
    const auto* mo = m.if_object();
    auto text = [&](std::string_view k) {
      const auto* v = mo ? mo->if_contains(k) : nullptr;
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    const std::string id = text("user_id");
    const std::string email = text("user_email");
    if (!mo || (id.empty() && email.empty())) {
      return fail(400, "Each member needs 'user_id' or 'user_email'.", "member", "invalid_field");
    }
    Principal u = userByIdOrEmail(c, id, email).value_or(Principal{});
    if (u.id.empty()) {
      u.kind = PrincipalKind::kUser;
      u.id = id.empty() ? email : id;
      u.email = email;
      u.createdAt = c.now;
    }
    u.teamId = team->id;
    if (auto r = save(c, u); !r) return storeError(r.error());
    updated.emplace_back(principalJson(u));
  }
  json::object out = principalJson(*team);
  out["team_id"] = team->id;
  out["updated_users"] = std::move(updated);
  return ok(out);
}

AdminReply teamMemberDelete(ManageContext& c, std::string_view body) {
  auto b = parseBody(body, kMemberDelete, false);
  if (!b) return badRequest(b.error());
  const std::string teamId = string(*b, "team_id");
  if (teamId.empty()) return fail(400, "Missing field 'team_id'.", "team_id", "missing_field");
  auto team = c.registry.find(PrincipalKind::kTeam, teamId);
  if (!team) return fail(404, "No such team.", "team_id", "team_not_found");
  const std::string id = string(*b, "user_id");
  const std::string email = string(*b, "user_email");
  if (id.empty() && email.empty()) {
    return fail(400, "Give 'user_id' or 'user_email'.", "user_id", "missing_field");
  }
  auto u = userByIdOrEmail(c, id, email);
  if (!u || u->teamId != teamId) {
    return fail(404, "That user is not a member of team '" + teamId + "'.", "user_id",
                "user_not_found");
  }
  u->teamId.clear();
  if (auto r = save(c, *u); !r) return storeError(r.error());
  return ok(json::object{{"team_id", teamId}, {"user_id", u->id}});
}

AdminReply userUpdate(ManageContext& c, std::string_view body) {
  auto b = parseBody(body, kUserFields, true);
  if (!b) return badRequest(b.error());
  auto u = userByIdOrEmail(c, string(*b, "user_id"), string(*b, "user_email"));
  if (!u) {
    if (string(*b, "user_id").empty() && string(*b, "user_email").empty()) {
      return fail(400, "Give 'user_id' or 'user_email'.", "user_id", "missing_field");
    }
    return fail(404, "No such user.", "user_id", "user_not_found");
  }
  if (b->contains("user_alias")) u->alias = string(*b, "user_alias");
  if (b->contains("user_email") && !string(*b, "user_id").empty()) {
    u->email = string(*b, "user_email");
  }
  if (b->contains("team_id")) {
    const std::string t = string(*b, "team_id");
    if (!t.empty() && !c.registry.find(PrincipalKind::kTeam, t)) {
      return fail(400, "team '" + t + "' does not exist.", "team_id", "invalid_field");
    }
    u->teamId = t;
  }
  applyLimits(*u, *b, c.now);
  if (auto r = checkBudgets(*u); !r) return badRequest(r.error());
  if (auto r = save(c, *u); !r) return storeError(r.error());
  return ok(json::object{{"user_id", u->id}, {"data", principalJson(*u)}});
}

AdminReply userList(ManageContext& c, std::string_view query) {
  auto all = c.store.list(PrincipalKind::kUser);
  if (!all) return storeError(all.error());
  auto number = [&](std::string_view name, int64_t fallback) {
    const auto v = queryParam(query, name);
    if (!v || v->empty()) return fallback;
    try {
      return std::max<int64_t>(1, std::stoll(*v));
    } catch (...) {
      return int64_t{-1};
    }
  };
  const int64_t page = number("page", 1);
  const int64_t size = number("page_size", 25);
  if (page < 1) return fail(400, "'page' must be a whole number >= 1.", "page", "invalid_field");
  if (size < 1) {
    return fail(400, "'page_size' must be a whole number >= 1.", "page_size", "invalid_field");
  }
  const auto team = queryParam(query, "team");
  std::vector<Principal> users;
  for (const auto& stored : *all) {
    if (team && stored.teamId != *team) continue;
    users.push_back(c.registry.find(PrincipalKind::kUser, stored.id).value_or(stored));
  }
  const auto total = static_cast<int64_t>(users.size());
  json::array out;
  for (int64_t i = (page - 1) * size; i < std::min(total, page * size); ++i) {
    out.emplace_back(principalJson(users[static_cast<size_t>(i)]));
  }
  return ok(json::object{{"users", std::move(out)},
                         {"total", total},
                         {"page", page},
                         {"page_size", size},
                         {"total_pages", (total + size - 1) / size}});
}

}  // namespace

std::optional<AdminReply> manage(ManageContext& c, std::string_view method, std::string_view path,
                                 std::string_view query, std::string_view body) {
  const bool get = method == "GET";
  if (!get) {
    if (path == "/key/block") return keyBlock(c, body, true);
    if (path == "/key/unblock") return keyBlock(c, body, false);
    if (path == "/key/regenerate") return keyRegenerate(c, body, {});
    if (path.starts_with("/key/") && path.ends_with("/regenerate") && path.size() > 16) {
      return keyRegenerate(c, body, path.substr(5, path.size() - 16));
    }
    if (path == "/team/update") return teamUpdate(c, body);
    if (path == "/team/delete") return deleteOwners(c, body, PrincipalKind::kTeam);
    if (path == "/team/member_add") return teamMemberAdd(c, body);
    if (path == "/team/member_delete") return teamMemberDelete(c, body);
    if (path == "/user/update") return userUpdate(c, body);
    if (path == "/user/delete") return deleteOwners(c, body, PrincipalKind::kUser);
  } else {
    if (path == "/team/list") return teamList(c);
    if (path == "/user/list") return userList(c, query);
  }
  return std::nullopt;
}

}  // namespace switchyard::admin_api
