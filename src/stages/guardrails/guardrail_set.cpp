#include "stages/guardrails/guardrail_set.hpp"

#include <cctype>

namespace switchyard {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string patternTag(const GuardrailSpec& spec, const std::string& label) {
  std::string tag = spec.patternRedactionFormat;
  const std::string_view key = "{pattern_name}";
  for (size_t at = tag.find(key); at != std::string::npos; at = tag.find(key, at + label.size())) {
    tag.replace(at, key.size(), label);
  }
  return tag;
}

Result<void> addRule(const GuardrailSpec& spec, const GuardrailRule& rule, uint32_t index,
                     CompiledGuardrail& g, std::vector<guardrails::Expression>& expressions) {
  CompiledRule c;
  c.rule = rule;
  switch (rule.kind) {
    case GuardrailRule::Kind::kPrebuilt: {
      const auto* p = guardrails::findPrebuilt(rule.name);
      if (p == nullptr) {
        std::string known;
        for (const auto& q : guardrails::allPrebuilt()) {
          known += known.empty() ? "" : ", ";
          known += q.name;
        }
        return Error::make(ErrorClass::kBadRequest, rule.path +
                                                        ".pattern_name: unknown prebuilt "
                                                        "pattern '" +
                                                        rule.name + "' (" + known + ")");
      }
      c.label = upper(rule.name);
      c.category = std::string(p->category);
      c.tag = patternTag(spec, c.label);
      for (auto e : p->expressions) {
        expressions.push_back({std::string(e), false, false, index, p->validate, rule.path});
      }
      break;
    }
    case GuardrailRule::Kind::kRegex:
      c.label = upper(rule.name);
      c.category = "custom";
      c.tag = patternTag(spec, c.label);
      expressions.push_back({rule.pattern, false, false, index, nullptr, rule.path + ".pattern"});
      break;
    case GuardrailRule::Kind::kKeyword:
      c.label = "KEYWORD";
      c.category = "keyword";
      c.tag = spec.keywordRedactionTag;
      // LiteLLM compares keywords with the lowercased text: case never matters.
      expressions.push_back({rule.pattern, true, true, index, nullptr, rule.path + ".keyword"});
      break;
  }
  g.rules.push_back(std::move(c));
  return {};
}

}  // namespace

Result<std::shared_ptr<const GuardrailSet>> compileGuardrails(
    const std::vector<GuardrailSpec>& specs) {
  auto set = std::make_shared<GuardrailSet>();
  std::vector<guardrails::Detector*> detectors;
  for (const auto& spec : specs) {
    auto& g = set->guardrails.emplace_back();
    g.spec = spec;
    std::vector<guardrails::Expression> expressions;
    if (spec.supported) {
      for (size_t i = 0; i < spec.rules.size(); ++i) {
        if (auto r = addRule(spec, spec.rules[i], uint32_t(i), g, expressions); !r) {
          return r.error();
        }
      }
    }
    auto detector = guardrails::Detector::compile(std::move(expressions));
    if (!detector) return detector.error();
    g.detector = std::move(*detector);
    detectors.push_back(g.detector.get());
  }
  if (auto shared = guardrails::Detector::shareScratch(detectors); !shared) return shared.error();
  return std::shared_ptr<const GuardrailSet>(std::move(set));
}

}  // namespace switchyard
