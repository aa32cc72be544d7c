#include "server/model_info.hpp"

#include <boost/json.hpp>
#include <set>

#include "governance/admin_api_body.hpp"
#include "stages/accounting/price_table.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

std::string deploymentId(const Deployment& d) {
  if (const auto* id = d.modelInfo.if_contains("id"); id && id->is_string()) {
    return std::string(id->get_string());
  }
  return d.id;
}

// litellm_params as LiteLLM shows them: where the deployment goes, never its credentials.
json::object publicParams(const Deployment& d) {
  json::object p{{"model", d.provider + "/" + d.upstreamModel},
                 {"custom_llm_provider", d.provider},
                 {"api_base", d.apiBase.toString()}};
  if (!d.apiVersion.empty()) p["api_version"] = d.apiVersion;
  if (d.rpm) p["rpm"] = *d.rpm;
  if (d.tpm) p["tpm"] = *d.tpm;
  if (d.order) p["order"] = *d.order;
  p["timeout"] = std::chrono::duration<double>(d.timeout).count();
  p["stream_timeout"] = std::chrono::duration<double>(d.streamTimeout).count();
  return p;
}

json::object infoOf(const Deployment& d, const PriceTable* prices) {
  json::object info = d.modelInfo;
  info["id"] = deploymentId(d);
  info["db_model"] = false;
  if (auto price = priceFor(d, prices)) {
    if (!info.contains("input_cost_per_token")) info["input_cost_per_token"] = price->inputPerToken;
    if (!info.contains("output_cost_per_token")) {
      info["output_cost_per_token"] = price->outputPerToken;
    }
  }
  if (!info.contains("mode")) info["mode"] = "chat";
  info["litellm_provider"] = d.provider;
  return info;
}

}  // namespace

std::string modelInfoJson(const Snapshot& snapshot, std::string_view query) {
  const auto wanted = admin_api::queryParam(query, "litellm_model_id");
  json::array data;
  for (const auto& d : snapshot.deployments) {
    if (wanted && deploymentId(*d) != *wanted) continue;
    data.emplace_back(json::object{{"model_name", d->modelName},
                                   {"litellm_params", publicParams(*d)},
                                   {"model_info", infoOf(*d, snapshot.prices.get())}});
  }
  for (const auto& w : snapshot.wildcards) {
    const Deployment& d = w.deploymentTemplate;
    if (wanted && deploymentId(d) != *wanted) continue;
    json::object params = publicParams(d);
    params["model"] = d.provider + "/*";
    data.emplace_back(json::object{{"model_name", w.prefix.empty() ? "*" : w.prefix + "/*"},
                                   {"litellm_params", std::move(params)},
                                   {"model_info", infoOf(d, snapshot.prices.get())}});
  }
  return json::serialize(json::object{{"data", std::move(data)}});
}

std::string modelGroupInfoJson(const Snapshot& snapshot, std::string_view query) {
  const auto wanted = admin_api::queryParam(query, "model_group");
  json::array data;
  for (const auto& [name, indices] : snapshot.groups) {
    if (wanted && name != *wanted) continue;
    std::set<std::string> providers;
    json::object group{{"model_group", name}};
    int64_t rpm = 0, tpm = 0;
    bool anyRpm = false, anyTpm = false;
    for (size_t i : indices) {
      const Deployment& d = *snapshot.deployments[i];
      providers.insert(d.provider);
      if (d.rpm) rpm += *d.rpm, anyRpm = true;
      if (d.tpm) tpm += *d.tpm, anyTpm = true;
      const json::object info = infoOf(d, snapshot.prices.get());
      // The first deployment that knows a fact speaks for the group.
      for (const char* k : {"mode", "max_input_tokens", "max_output_tokens", "max_tokens",
                            "input_cost_per_token", "output_cost_per_token"}) {
        if (const auto* v = info.if_contains(k); v && !group.contains(k)) group[k] = *v;
      }
      for (const auto& [k, v] : info) {
        if (k.starts_with("supports_") && !group.contains(k)) group[k] = v;
      }
    }
    json::array list;
    for (const auto& p : providers) list.emplace_back(p);
    group["providers"] = std::move(list);
    group["rpm"] = anyRpm ? json::value(rpm) : json::value(nullptr);
    group["tpm"] = anyTpm ? json::value(tpm) : json::value(nullptr);
    data.emplace_back(std::move(group));
  }
  return json::serialize(json::object{{"data", std::move(data)}});
}

}  // namespace switchyard
