#include "governance/admin_api_customers.hpp"

#include <boost/json.hpp>

#include "governance/admin_api_body.hpp"
#include "governance/admin_api_reply.hpp"

namespace switchyard::admin_api {

namespace json = boost::json;

namespace {

constexpr auto kEndUser = PrincipalKind::kEndUser;

// The fields of /customer/new and /customer/update besides the limit fields. LiteLLM's
// budget_id (a shared budget from /budget/new), allowed_model_region and default_model are
// named so that a body using them gets a 400 saying so instead of "unknown field".
constexpr Field kCustomerFields[] = {{"user_id", Type::kString},
                                     {"alias", Type::kString},
                                     {"spend", Type::kNumber},
                                     {"budget_id", Type::kString},
                                     {"allowed_model_region", Type::kString},
                                     {"default_model", Type::kString}};
constexpr Field kCustomerIds[] = {{"user_ids", Type::kStringList}};

AdminReply badRequest(const Error& e) { return AdminReply{400, e.toOpenAiJson()}; }

AdminReply notFound(const std::string& ids, std::string param) {
  return fail(404, "End User Id=" + ids + " does not exist in db", std::move(param), "not_found");
}

// As LiteLLM's LiteLLM_EndUserTable answers: the customer with its budget nested.
json::object customerJson(const Principal& p) {
  json::object o = principalJson(p);
  const bool hasBudget = p.maxBudget || p.softBudget || !p.budgetDuration.empty() || p.tpmLimit ||
                         p.rpmLimit || p.maxParallelRequests;
  if (hasBudget) {
    json::object budget;
    for (const auto* name : {"max_budget", "soft_budget", "budget_duration", "budget_reset_at",
                             "tpm_limit", "rpm_limit", "max_parallel_requests"}) {
      budget[name] = o.at(name);
    }
    o["litellm_budget_table"] = std::move(budget);
  } else {
    o["litellm_budget_table"] = nullptr;
  }
  o["allowed_model_region"] = nullptr;
  o["default_model"] = nullptr;
  return o;
}

// The customer as the gateway sees it now: the registry's record (with spend not yet written),
// else the store's row.
Result<std::optional<Principal>> findCustomer(ManageContext& c, const std::string& id) {
  if (auto live = c.registry.find(kEndUser, id)) return live;
  return c.store.get(kEndUser, id);
}

// The customer as the registry holds it, else as stored, and whether the store has a row for it
// (which decides how saveCustomer writes its spend).
struct KnownCustomer {
  std::optional<Principal> record;
  bool stored = false;
};
Result<KnownCustomer> knownCustomer(ManageContext& c, const std::string& id) {
  auto stored = c.store.get(kEndUser, id);
  if (!stored) return stored.error();
  KnownCustomer out{c.registry.find(kEndUser, id), stored->has_value()};
  if (!out.record) out.record = std::move(*stored);
  return out;
}

// Writes a customer. The store's spend is the batch writer's: a row made here starts at what
// the body gave (`initialSpend`), or at 0 for one the registry holds only in memory, whose
// spend is still on its way to the store.
Result<void> saveCustomer(ManageContext& c, Principal p, bool stored, double initialSpend) {
  p.updatedAt = c.now;
  Principal row = p;
  if (!stored) row.spend = initialSpend;
  if (auto r = c.store.put(row); !r) return r.error();
  if (!stored) p.spend += initialSpend;
  c.registry.put(p);
  return {};
}

std::optional<AdminReply> unsupported(const json::object& b) {
  for (const auto* name : {"budget_id", "allowed_model_region", "default_model"}) {
    if (field(b, name)) {
      return fail(400,
                  std::string("'") + name +
                      "' is not supported: give the customer's own max_budget, budget_duration "
                      "and limits.",
                  name, "invalid_field");
    }
  }
  return std::nullopt;
}

AdminReply customerNew(ManageContext& c, std::string_view body) {
  auto b = parseBody(body, kCustomerFields, true);
  if (!b) return badRequest(b.error());
  if (auto refused = unsupported(*b)) return *refused;
  const std::string id = string(*b, "user_id");
  if (id.empty()) return fail(400, "Missing field 'user_id'.", "user_id", "missing_field");
  auto existing = findCustomer(c, id);
  if (!existing) return storeError(existing.error());
  if (*existing) {
    return fail(400,
                "Customer already exists, passed user_id=" + id + ". Please pass a new user_id.",
                "user_id", "already_exists");
  }
  Principal p;
  p.kind = kEndUser;
  p.id = id;
  p.alias = string(*b, "alias");
  applyLimits(p, *b, c.now);
  if (auto r = checkBudgets(p); !r) return badRequest(r.error());
  p.createdAt = c.now;
  const auto* spend = field(*b, "spend");
  if (auto r = saveCustomer(c, p, false, spend ? spend->to_number<double>() : 0.0); !r) {
    return storeError(r.error());
  }
  return ok(customerJson(*c.registry.find(kEndUser, id)));
}

AdminReply customerUpdate(ManageContext& c, std::string_view body) {
  auto b = parseBody(body, kCustomerFields, true);
  if (!b) return badRequest(b.error());
  if (auto refused = unsupported(*b)) return *refused;
  if (field(*b, "spend")) {
    return fail(400, "'spend' is set only by /customer/new; the gateway counts it afterwards.",
                "spend", "invalid_field");
  }
  const std::string id = string(*b, "user_id");
  if (id.empty()) return fail(400, "Missing field 'user_id'.", "user_id", "missing_field");
  auto known = knownCustomer(c, id);
  if (!known) return storeError(known.error());
  auto& p = known->record;
  if (!p) return notFound(id, "user_id");
  if (b->contains("alias")) p->alias = string(*b, "alias");
  applyLimits(*p, *b, c.now);
  if (auto r = checkBudgets(*p); !r) return badRequest(r.error());
  if (auto r = saveCustomer(c, *p, known->stored, 0.0); !r) return storeError(r.error());
  return ok(customerJson(*c.registry.find(kEndUser, id)));
}

AdminReply customerInfo(ManageContext& c, std::string_view query) {
  const auto id = queryParam(query, "end_user_id");
  if (!id || id->empty()) {
    return fail(400, "Missing query parameter 'end_user_id'.", "end_user_id", "missing_field");
  }
  auto p = findCustomer(c, *id);
  if (!p) return storeError(p.error());
  if (!*p) return notFound(*id, "end_user_id");
  return ok(customerJson(**p));
}

// The ids of a {"user_ids": [...]} body, at least one.
Result<std::vector<std::string>> idsOf(std::string_view body) {
  auto b = parseBody(body, kCustomerIds, false);
  if (!b) return b.error();
  std::vector<std::string> ids;
  if (const auto* list = field(*b, "user_ids")) {
    for (const auto& id : list->get_array()) ids.emplace_back(id.get_string());
  }
  if (ids.empty()) {
    return Error::make(ErrorClass::kBadRequest, "Give 'user_ids', a list of customer ids.",
                       "user_ids", "missing_field");
  }
  return ids;
}

// Python's str() of a list of strings, as LiteLLM's messages print it.
std::string pythonList(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (const auto& id : ids) {
    if (out.size() > 1) out += ", ";
    out += "'" + id + "'";
  }
  return out + "]";
}

AdminReply customerDelete(ManageContext& c, std::string_view body) {
  auto ids = idsOf(body);
  if (!ids) return badRequest(ids.error());
  std::string missing;
  for (const auto& id : *ids) {
    auto p = findCustomer(c, id);
    if (!p) return storeError(p.error());
    if (!*p) missing += (missing.empty() ? "" : ", ") + id;
  }
  // All or none, as LiteLLM does.
  if (!missing.empty()) {
    return fail(404, "End User Id(s)=" + missing + " do not exist in db", "user_ids", "not_found");
  }
  int64_t deleted = 0;
  for (const auto& id : *ids) {
    auto r = c.store.remove(kEndUser, id);
    if (!r) return storeError(r.error());
    c.registry.erase(kEndUser, id);
    ++deleted;
  }
  return ok(
      json::object{{"deleted_customers", deleted},
                   {"message", "Successfully deleted customers with ids: " + pythonList(*ids)}});
}

// Blocked customers are refused; blocking one not seen yet creates it blocked (LiteLLM upserts).
AdminReply customerBlock(ManageContext& c, std::string_view body, bool blocked) {
  auto ids = idsOf(body);
  if (!ids) return badRequest(ids.error());
  json::array records;
  for (const auto& id : *ids) {
    auto known = knownCustomer(c, id);
    if (!known) return storeError(known.error());
    auto& p = known->record;
    if (!p) {
      p = Principal{};
      p->kind = kEndUser;
      p->id = id;
      p->createdAt = c.now;
    }
    p->blocked = blocked;
    if (auto r = saveCustomer(c, *p, known->stored, 0.0); !r) return storeError(r.error());
    records.emplace_back(customerJson(*c.registry.find(kEndUser, id)));
  }
  return ok(json::object{{blocked ? "blocked_users" : "unblocked_users", std::move(records)}});
}

AdminReply customerList(ManageContext& c) {
  auto all = c.store.list(kEndUser);
  if (!all) return storeError(all.error());
  json::array out;
  for (const auto& stored : *all) {
    out.emplace_back(customerJson(c.registry.find(kEndUser, stored.id).value_or(stored)));
  }
  return ok(out);
}

}  // namespace

std::optional<AdminReply> customers(ManageContext& c, std::string_view method,
                                    std::string_view path, std::string_view query,
                                    std::string_view body) {
  std::string_view route;
  if (path.starts_with("/customer/")) {
    route = path.substr(10);
  } else if (path.starts_with("/end_user/")) {
    route = path.substr(10);
  } else {
    return std::nullopt;
  }
  const bool get = method == "GET";
  if (route == "new" && !get) return customerNew(c, body);
  if (route == "update" && !get) return customerUpdate(c, body);
  if (route == "info" && get) return customerInfo(c, query);
  if (route == "delete" && !get) return customerDelete(c, body);
  if (route == "list" && get) return customerList(c);
  if (route == "block" && !get) return customerBlock(c, body, true);
  if (route == "unblock" && !get) return customerBlock(c, body, false);
  return std::nullopt;
}

}  // namespace switchyard::admin_api
