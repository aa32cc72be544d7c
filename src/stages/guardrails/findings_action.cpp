#include "stages/guardrails/findings_action.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard::guardrails {

namespace json = boost::json;

namespace {

void noteRule(std::string& rules, const std::string& name) {
  size_t at = 0;
  while ((at = rules.find(name, at)) != std::string::npos) {
    const bool startOk = at == 0 || rules[at - 1] == ',';
    const bool endOk = at + name.size() == rules.size() || rules[at + name.size()] == ',';
    if (startOk && endOk) return;
    at += name.size();
  }
  if (!rules.empty()) rules += ",";
  rules += name;
}

}  // namespace

Verdict applyFindings(const CompiledGuardrail& g, std::string_view text,
                      std::span<const Finding> findings, const ApplyOptions& options,
                      std::string& out) {
  Verdict v;
  for (const auto& f : findings) {
    const auto& rule = g.rules[f.rule];
    noteRule(v.rules, rule.rule.name);
    if (!options.observeOnly && rule.rule.action == GuardrailAction::kBlock) {
      v.blockedBy = &rule;
      return v;
    }
  }
  size_t copied = 0;
  for (const auto& f : findings) {
    const auto& rule = g.rules[f.rule];
    const auto action = rule.rule.action;
    if (options.observeOnly || action == GuardrailAction::kLog) {
      ++v.logged;
      continue;
    }
    if (v.masked == 0) {
      out.clear();
      out.reserve(text.size() + 16);
    }
    out.append(text.substr(copied, f.begin - copied));
    if (action == GuardrailAction::kMask && options.restoreWith != nullptr) {
      out.append(
          options.restoreWith->placeholderFor(rule.label, text.substr(f.begin, f.end - f.begin)));
    } else {
      out.append(rule.tag);
    }
    copied = f.end;
    ++v.masked;
  }
  if (v.masked > 0) out.append(text.substr(copied));
  return v;
}

std::string blockMessage(const CompiledRule& rule) {
  if (rule.rule.kind == GuardrailRule::Kind::kKeyword) {
    std::string m = "Content blocked: keyword '" + rule.rule.name + "' detected";
    if (!rule.rule.description.empty()) m += " (" + rule.rule.description + ")";
    return m;
  }
  return "Content blocked: " + rule.rule.name + " pattern detected";
}

std::string blockBody(InboundFormat format, const CompiledGuardrail& g, const CompiledRule& rule) {
  const std::string message = blockMessage(rule);
  if (format == InboundFormat::kAnthropic) {
    return json::serialize(json::object{
        {"type", "error"},
        {"error", json::object{{"type", "invalid_request_error"},
                               {"message", message + " (guardrail: " + g.spec.name + ")"}}}});
  }
  json::object detail{{"error", message}};
  if (rule.rule.kind == GuardrailRule::Kind::kKeyword) {
    detail["keyword"] = rule.rule.name;
    if (!rule.rule.description.empty()) detail["description"] = rule.rule.description;
  } else {
    detail["pattern"] = rule.rule.name;
  }
  detail["guardrail"] = g.spec.name;
  detail["category"] = rule.category;
  return json::serialize(json::object{{"error", json::object{{"message", std::move(detail)},
                                                             {"type", "invalid_request_error"},
                                                             {"param", nullptr},
                                                             {"code", "400"}}}});
}

Error blockError(const CompiledGuardrail& g, const CompiledRule& rule) {
  return Error::make(ErrorClass::kBadRequest,
                     blockMessage(rule) + " (guardrail: " + g.spec.name + ")", g.spec.name,
                     "content_blocked");
}

}  // namespace switchyard::guardrails
