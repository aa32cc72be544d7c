// Any bytes through every built-in detector and a keyword: findings are in bounds, in order and
// apart; masking with placeholders and restoring gives the text back; restoring a stream split
// anywhere gives what restoring it whole does. Nothing may crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "stages/guardrails/findings_action.hpp"
#include "stages/guardrails/guardrail_set.hpp"
#include "stages/guardrails/placeholder_restorer.hpp"

namespace {

using namespace switchyard;

std::shared_ptr<const GuardrailSet> makeSet() {
  GuardrailSpec spec;
  spec.name = "fuzz";
  spec.type = "litellm_content_filter";
  spec.modes = {GuardrailMode::kPreCall};
  spec.restoreInAnswer = true;
  for (const auto& p : guardrails::allPrebuilt()) {
    spec.rules.push_back({GuardrailRule::Kind::kPrebuilt, std::string(p.name), "",
                          GuardrailAction::kMask, "", "fuzz"});
  }
  spec.rules.push_back({GuardrailRule::Kind::kKeyword, "secret*word", "secret*word",
                        GuardrailAction::kMask, "", "fuzz"});
  auto set = compileGuardrails({spec});
  if (!set) std::abort();
  return *set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto set = makeSet();
  if (size == 0) return 0;
  const size_t split = data[0] % size;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto& g = set->guardrails.front();
  std::vector<guardrails::Finding> findings;
  g.detector->scan(text, findings);
  size_t last = 0;
  for (const auto& f : findings) {
    if (f.begin < last || f.end <= f.begin || f.end > text.size()) std::abort();
    if (f.rule >= g.rules.size()) std::abort();
    last = f.end;
  }
  GuardrailRun run;
  guardrails::ApplyOptions options;
  options.restoreWith = &run;
  std::string masked;
  const auto v = guardrails::applyFindings(g, text, findings, options, masked);
  if (v.masked > 0 && text.find('[') == std::string_view::npos) {
    if (guardrails::PlaceholderRestorer::restoreAll(run.placeholders, masked) != text) std::abort();
  }
  const std::string& answer = v.masked > 0 ? masked : std::string(text);
  const auto whole = guardrails::PlaceholderRestorer::restoreAll(run.placeholders, answer);
  guardrails::PlaceholderRestorer r(run.placeholders);
  std::string streamed;
  const size_t cut = std::min(split, answer.size());
  r.feed(std::string_view(answer).substr(0, cut), streamed);
  r.feed(std::string_view(answer).substr(cut), streamed);
  r.flush(streamed);
  if (streamed != whole) std::abort();
  return 0;
}
