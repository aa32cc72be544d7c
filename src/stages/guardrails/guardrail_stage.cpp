#include "stages/guardrails/guardrail_stage.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "stages/guardrails/answer_guard.hpp"
#include "stages/guardrails/findings_action.hpp"
#include "stages/guardrails/guardrail_run.hpp"
#include "stages/guardrails/request_texts.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

Outcome refuse(const RequestContext& ctx, std::string message) {
  Error e = Error::make(ErrorClass::kBadRequest, std::move(message), "guardrails");
  return Outcome::respond(400, ctx.request.format == InboundFormat::kAnthropic ? e.toAnthropicJson()
                                                                               : e.toOpenAiJson());
}

bool answersAsEvents(const ApiRequest& r) { return r.endpoint == Endpoint::kChatCompletions; }

// The body's text as the client sent it, to learn cheaply that it names no guardrails.
std::string_view clientBytes(const ApiRequest& r) {
  return r.rawBody.empty() ? r.clientText.text : r.rawBody;
}

// The names in a `guardrails` value: a list of names, or LiteLLM's {name: settings} form.
bool readNames(const json::value& v, std::vector<std::string>& names) {
  if (v.is_array()) {
    for (const auto& n : v.get_array()) {
      if (!n.is_string()) return false;
      names.emplace_back(n.get_string());
    }
    return true;
  }
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) names.emplace_back(kv.key());
    return true;
  }
  return v.is_null();
}

// The guardrails the request asks for, taken out of the body (they are the gateway's, not the
// model's). False when the value is not a list of names.
bool takeRequested(ApiRequest& r, std::vector<std::string>& names) {
  const auto bytes = clientBytes(r);
  if (!bytes.empty() && bytes.find("\"guardrails\"") == std::string_view::npos) return true;
  if (r.format == InboundFormat::kAnthropic && !r.clientText.empty()) {
    // The Messages decoder keeps only what the canonical body can say: the names are read from
    // the client's own body, which then no longer goes upstream as it is (an Anthropic upstream
    // takes no such member).
    boost::system::error_code ec;
    const auto client = json::parse(r.clientText.text, ec);
    if (ec || !client.is_object()) return true;
    const auto& o = client.get_object();
    const auto* top = o.if_contains("guardrails");
    const json::value* meta = nullptr;
    if (const auto* m = o.if_contains("metadata"); m && m->is_object()) {
      meta = m->get_object().if_contains("guardrails");
    }
    if (!top && !meta) return true;
    if ((top && !readNames(*top, names)) || (meta && !readNames(*meta, names))) return false;
    r.editBody();
    return true;
  }
  const auto& body = r.body();
  const auto* top = body.if_contains("guardrails");
  const json::value* meta = nullptr;
  if (const auto* m = body.if_contains("metadata"); m && m->is_object()) {
    meta = m->get_object().if_contains("guardrails");
  }
  if (!top && !meta) return true;
  if ((top && !readNames(*top, names)) || (meta && !readNames(*meta, names))) return false;
  auto& edit = r.editBody();
  edit.erase("guardrails");
  if (auto* m = edit.if_contains("metadata"); m && m->is_object()) {
    m->get_object().erase("guardrails");
  }
  return true;
}

// One input-side guardrail over every text of the request: a block outcome, or the texts
// rewritten where it masks. Looks first (the body stays the client's bytes when nothing is
// found), and rewrites only the texts with findings.
std::optional<Outcome> checkInput(RequestContext& ctx, const CompiledGuardrail& g,
                                  GuardrailRun& run) {
  g.counters.checked.fetch_add(1, std::memory_order_relaxed);
  guardrails::ApplyOptions options;
  options.observeOnly = g.spec.has(GuardrailMode::kLoggingOnly) &&
                        !g.spec.has(GuardrailMode::kPreCall) &&
                        !g.spec.has(GuardrailMode::kDuringCall);
  if (g.spec.restoreInAnswer) options.restoreWith = &run;
  std::vector<guardrails::Finding> findings;
  std::string scratch;
  guardrails::Verdict total;
  bool rewrite = false;
  guardrails::forEachInputText(ctx.request.body(), [&](const json::string& s) {
    if (total.blockedBy) return;
    findings.clear();
    g.detector->scan(std::string_view(s), findings);
    if (findings.empty()) return;
    // A dry run: what the findings would do, with no placeholders made yet.
    guardrails::ApplyOptions look = options;
    look.restoreWith = nullptr;
    const auto v = guardrails::applyFindings(g, s, findings, look, scratch);
    if (v.blockedBy) total.blockedBy = v.blockedBy;
    rewrite = rewrite || v.masked > 0;
    total.logged += v.logged;
    if (!v.rules.empty()) total.rules += (total.rules.empty() ? "" : ",") + v.rules;
  });
  if (total.blockedBy) {
    g.counters.blocked.fetch_add(1, std::memory_order_relaxed);
    run.report(g, "input", "blocked", total.blockedBy->rule.name, 1);
    return Outcome::respond(400, guardrails::blockBody(ctx.request.format, g, *total.blockedBy));
  }
  if (total.logged > 0) {
    g.counters.logged.fetch_add(total.logged, std::memory_order_relaxed);
    run.report(g, "input", "logged", total.rules, total.logged);
  }
  if (!rewrite) {
    if (total.logged == 0) run.report(g, "input", "passed", {}, 0);
    return std::nullopt;
  }
  // The canonical body is what the upstream gets from now on; parts only the client's format
  // could carry would be lost with the client's bytes, so such a request cannot be masked.
  if (ctx.request.untranslated) {
    return refuse(ctx, "guardrail '" + g.spec.name + "' must mask this request, and it has " +
                           "parts that can only be forwarded unchanged: " +
                           ctx.request.untranslated->message);
  }
  uint32_t masked = 0;
  std::string rules;
  guardrails::forEachInputText(ctx.request.editBody(), [&](json::string& s) {
    findings.clear();
    g.detector->scan(std::string_view(s), findings);
    if (findings.empty()) return;
    const auto v = guardrails::applyFindings(g, s, findings, options, scratch);
    if (v.masked == 0) return;
    masked += v.masked;
    rules += (rules.empty() ? "" : ",") + v.rules;
    s = scratch;
  });
  g.counters.masked.fetch_add(masked, std::memory_order_relaxed);
  run.report(g, "input", "masked", rules, masked);
  return std::nullopt;
}

}  // namespace

bool GuardrailStage::actsOn(const Snapshot& s) const {
  return s.guardrailSet && !s.guardrailSet->guardrails.empty();
}

Outcome GuardrailStage::pre(RequestContext& ctx) {
  const GuardrailSet* set = ctx.snapshot ? ctx.snapshot->guardrailSet.get() : nullptr;
  if (set == nullptr || set->guardrails.empty()) return Outcome::next();
  std::vector<std::string> names;
  if (!takeRequested(ctx.request, names)) {
    return refuse(ctx, "guardrails: expected a list of guardrail names");
  }
  std::vector<const CompiledGuardrail*> active;
  for (const auto& g : set->guardrails) {
    if (g.spec.defaultOn) active.push_back(&g);
  }
  for (const auto& n : names) {
    const auto* g = set->find(n);
    if (g == nullptr) return refuse(ctx, "unknown guardrail '" + n + "'");
    if (!g->spec.supported) {
      return refuse(
          ctx, "guardrail '" + n + "' (" + g->spec.type + ") is not implemented by this gateway");
    }
    if (std::find(active.begin(), active.end(), g) == active.end()) active.push_back(g);
  }
  if (active.empty()) return Outcome::next();
  auto run = std::make_shared<GuardrailRun>();
  for (const auto* g : active) {
    if (g->spec.checksInput()) {
      if (auto blocked = checkInput(ctx, *g, *run)) {
        ctx.guardrails = std::move(run);
        return std::move(*blocked);
      }
    }
    // Only chat answers (OpenAI chat or Anthropic Messages) reach a stage as events: a completion
    // or an embedding is forwarded as the upstream sent it.
    if (g->spec.checksOutput() && answersAsEvents(ctx.request)) {
      g->counters.checked.fetch_add(1, std::memory_order_relaxed);
      run->output.push_back(g);
    }
  }
  ctx.guardrails = std::move(run);
  return Outcome::next();
}

bool GuardrailStage::watchesAnswerOf(const RequestContext& ctx) const {
  return ctx.guardrails && answersAsEvents(ctx.request) &&
         (!ctx.guardrails->placeholders.empty() || !ctx.guardrails->output.empty());
}

std::unique_ptr<AnswerFilter> GuardrailStage::filterAnswer(RequestContext& ctx) {
  if (!watchesAnswerOf(ctx)) return nullptr;
  return std::make_unique<AnswerGuard>(ctx.guardrails);
}

}  // namespace switchyard
