#pragma once
// LiteLLM's customer (end-user) routes: /customer/new, /customer/info, /customer/update,
// /customer/delete, /customer/list, /customer/block, /customer/unblock, and the same under
// /end_user/. A customer is the `user` a client names in its request body; it is created by its
// first request (or here) and has a spend, a budget, limits and a block. Called by
// Governance::admin under its store lock.

#include <optional>
#include <string_view>

#include "governance/admin_api_manage.hpp"

namespace switchyard::admin_api {

// nullopt when `path` is not one of these routes.
std::optional<AdminReply> customers(ManageContext& c, std::string_view method,
                                    std::string_view path, std::string_view query,
                                    std::string_view body);

}  // namespace switchyard::admin_api
