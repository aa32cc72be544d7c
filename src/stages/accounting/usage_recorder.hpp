#pragma once
// Records what each request used once it is over. Today that is the access-log line; spend and
// budgets attach here.

#include "stages/stage.hpp"

namespace switchyard {

class UsageRecorder : public Stage {
 public:
  std::string_view name() const override { return "accounting"; }
  boost::asio::awaitable<Outcome> pre(RequestContext&) override;
  void post(RequestContext& ctx) override;
};

}  // namespace switchyard
