// Guardrail detection cost (docs/guardrails.md), for bench/guardrails.sh:
//  - per request: the default PII + secrets guardrail (all built-in detectors, MASK with
//    placeholders) over a 4 KB chat prompt with a few findings: scan, validate, rewrite; p50
//    and p99 in microseconds;
//  - throughput: the same detectors over 8 MB of prose, MB/s on one core.
// Prints one "key value" line per figure. Times are the thread's CPU time, so that other load on
// the machine does not count.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "stages/guardrails/findings_action.hpp"
#include "stages/guardrails/guardrail_set.hpp"

namespace {

using namespace switchyard;
// This thread's CPU time: what a run costs, not what other processes on the machine take.
struct Clock {
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<Clock, duration>;
  static time_point now() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return time_point(duration(int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec));
  }
};

GuardrailSpec defaultSet() {
  GuardrailSpec spec;
  spec.name = "pii-and-secrets";
  spec.type = "litellm_content_filter";
  spec.modes = {GuardrailMode::kPreCall};
  spec.restoreInAnswer = true;
  for (const char* name :
       {"email", "phone", "us_ssn", "credit_card", "iban", "ipv4", "ipv6", "aws_access_key",
        "aws_secret_key", "github_token", "slack_token", "gcp_api_key", "openai_api_key",
        "anthropic_api_key", "private_key", "jwt", "generic_api_key", "generic_secret"}) {
    spec.rules.push_back(
        {GuardrailRule::Kind::kPrebuilt, name, "", GuardrailAction::kMask, "", "bench"});
  }
  return spec;
}

// Prose with the odd number, version and address in it, as prompts have.
std::string prose(size_t bytes) {
  static const char* kLines[] = {
      "The quarterly report shows revenue grew 12.5% to 4,210,000 while costs held at 3.1M. ",
      "Please summarise the meeting notes from Tuesday and list the open action items. ",
      "We upgraded the cluster to version 1.28.3 and the API gateway to release 2.4.0.1. ",
      "Customer feedback mentions slow page loads on mobile, especially the checkout step. ",
      "The function returns a list of tuples (id, name, score) sorted by score descending. ",
      "Shipping to Berlin takes 3-5 days; returns are accepted within 30 days of delivery. ",
  };
  std::string out;
  for (size_t i = 0; out.size() < bytes; ++i) out += kLines[i % 6];
  out.resize(bytes);
  return out;
}

double percentile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  return v[size_t(p * double(v.size() - 1))];
}

}  // namespace

int main() {
  auto set = compileGuardrails({defaultSet()});
  if (!set) {
    std::fprintf(stderr, "compile: %s\n", set.error().message.c_str());
    return 1;
  }
  const auto& g = (*set)->guardrails.front();

  std::string prompt = prose(4096 - 160);
  prompt += " Contact jane.roe@example.com or +14155552671; card 4111 1111 1111 1111; ";
  prompt += "key AKIAIOSFODNN7EXAMPLE from host 10.20.30.40. ";
  prompt.resize(4096, ' ');

  std::vector<guardrails::Finding> findings;
  std::string out;
  std::vector<double> us;
  const int kRequests = 20000;
  us.reserve(kRequests);
  size_t masked = 0;
  for (int i = 0; i < kRequests + 2000; ++i) {
    const auto t0 = Clock::now();
    GuardrailRun run;
    findings.clear();
    g.detector->scan(prompt, findings);
    guardrails::ApplyOptions options;
    options.restoreWith = &run;
    masked = guardrails::applyFindings(g, prompt, findings, options, out).masked;
    const auto t1 = Clock::now();
    if (i >= 2000) us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::printf("prompt_bytes %zu\nfindings %zu\nmasked %zu\n", prompt.size(), findings.size(),
              masked);
  std::printf("request_p50_us %.2f\n", percentile(us, 0.50));
  std::printf("request_p99_us %.2f\n", percentile(us, 0.99));

  const std::string corpus = prose(8 << 20);
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    findings.clear();
    const auto t0 = Clock::now();
    g.detector->scan(corpus, findings);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, double(corpus.size()) / s / 1e6);
  }
  std::printf("scan_mb_per_s %.0f\nscan_findings %zu\n", best, findings.size());
  return 0;
}
