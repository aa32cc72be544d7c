#pragma once
// The rest of LiteLLM's key, team and user admin routes that scripts use: /key/block,
// /key/unblock, /key/regenerate, /team/update, /team/delete, /team/list, /team/member_add,
// /team/member_delete, /user/update, /user/delete, /user/list. Same request and answer shapes as
// LiteLLM's, 400s that name the field. Called by Governance::admin under its store lock.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "governance/governance.hpp"

namespace switchyard::admin_api {

struct ManageContext {
  Store& store;
  Registry& registry;
  // The id a key is stored by, from the key itself ("sk-...") or its token.
  std::function<std::string(std::string_view)> keyIdOf;
  // A new key and the id it is stored by.
  std::function<std::pair<std::string, std::string>()> newKey;
  int64_t now = 0;
};

// nullopt when `path` is not one of these routes.
std::optional<AdminReply> manage(ManageContext& c, std::string_view method, std::string_view path,
                                 std::string_view query, std::string_view body);

}  // namespace switchyard::admin_api
