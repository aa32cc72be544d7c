#include "stages/guardrails/detector.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace switchyard::guardrails {

namespace {

std::atomic<uint64_t> nextGeneration{1};

// A thread's scratch space, made for the databases of the config it last scanned with. Scratch
// must not be shared between threads; one per thread is enough for every database.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  uint64_t generation = 0;
  ~ThreadScratch() {
    if (scratch) hs_free_scratch(scratch);
  }
};
thread_local ThreadScratch tls;

std::string escapeLiteral(std::string_view keyword) {
  // LiteLLM reads '*' in a keyword as "any one character or none".
  std::string out;
  for (char c : keyword) {
    if (c == '*') {
      out += ".?";
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_') {
      out.push_back(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
      out += hex;
    }
  }
  return out;
}

// The expression without its \b assertions: it matches wherever the expression does (and more),
// and Hyperscan runs it many times faster (an assertion keeps it from its fastest engines).
// The windows that then find the starts use the expression itself.
std::string withoutWordBoundaries(const std::string& pattern) {
  std::string out;
  bool inClass = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      if (!inClass && pattern[i + 1] == 'b') {
        ++i;
        continue;
      }
      out.push_back(c);
      out.push_back(pattern[++i]);
      continue;
    }
    if (c == '[') inClass = true;
    if (c == ']') inClass = false;
    out.push_back(c);
  }
  return out;
}

struct Ends {
  std::vector<std::vector<size_t>>* perExpression;
  bool any = false;
};

int onEnd(unsigned int id, unsigned long long, unsigned long long to, unsigned int, void* ctx) {
  auto* e = static_cast<Ends*>(ctx);
  (*e->perExpression)[id].push_back(size_t(to));
  e->any = true;
  return 0;
}

struct Located {
  std::vector<Candidate>* out;
  uint32_t expr;
  size_t offset;  // the window's place in the text
};

int onMatch(unsigned int, unsigned long long from, unsigned long long to, unsigned int, void* ctx) {
  auto* l = static_cast<Located*>(ctx);
  l->out->push_back({l->expr, size_t(from) + l->offset, size_t(to) + l->offset});
  return 0;
}

Result<hs_database_t*> compileOne(const char* pattern, unsigned flags, const std::string& path) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile(pattern, flags, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::string message = path + ": the pattern does not compile: " +
                          (err && err->message ? err->message : "unknown error");
    if (err) hs_free_compile_error(err);
    return Error::make(ErrorClass::kBadRequest, std::move(message));
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<Detector>> Detector::compile(std::vector<Expression> expressions) {
  std::unique_ptr<Detector> d(new Detector());
  d->expressions_ = std::move(expressions);
  if (d->expressions_.empty()) return d;
  std::vector<std::string> texts;
  std::vector<std::string> relaxed;
  std::vector<const char*> patterns;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  texts.reserve(d->expressions_.size());
  for (size_t i = 0; i < d->expressions_.size(); ++i) {
    const auto& e = d->expressions_[i];
    texts.push_back(e.literal ? escapeLiteral(e.text) : e.text);
    flags.push_back(e.caseless ? HS_FLAG_CASELESS : 0u);
    ids.push_back(unsigned(i));
  }
  relaxed.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    relaxed.push_back(withoutWordBoundaries(texts[i]));
    patterns.push_back(relaxed[i].c_str());
    // Each expression alone first: its error names its own config path, and its width bounds
    // the window its starts are looked for in.
    auto located =
        compileOne(texts[i].c_str(), flags[i] | HS_FLAG_SOM_LEFTMOST, d->expressions_[i].path);
    if (!located) return located.error();
    d->located_.push_back(*located);
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    size_t reach = kMaxReach;
    if (hs_expression_info(texts[i].c_str(), flags[i], &info, &err) == HS_SUCCESS && info) {
      if (info->max_width != UINT_MAX) reach = std::min<size_t>(info->max_width, kMaxReach);
      std::free(info);
    }
    if (err) hs_free_compile_error(err);
    d->reach_.push_back(reach);
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(patterns.data(), flags.data(), ids.data(), unsigned(patterns.size()),
                       HS_MODE_BLOCK, nullptr, &d->db_, &err) != HS_SUCCESS) {
    std::string message = std::string("guardrails: the patterns do not compile together: ") +
                          (err && err->message ? err->message : "unknown error");
    if (err) hs_free_compile_error(err);
    return Error::make(ErrorClass::kBadRequest, std::move(message));
  }
  if (auto shared = shareScratch({d.get()}); !shared) return shared.error();
  return d;
}

Result<void> Detector::shareScratch(const std::vector<Detector*>& all) {
  hs_scratch_t* scratch = nullptr;
  auto grow = [&scratch](hs_database_t* db) {
    return db == nullptr || hs_alloc_scratch(db, &scratch) == HS_SUCCESS;
  };
  for (auto* d : all) {
    bool ok = grow(d->db_);
    for (auto* db : d->located_) ok = ok && grow(db);
    if (!ok) {
      if (scratch) hs_free_scratch(scratch);
      return Error::make(ErrorClass::kInternal, "guardrails: cannot allocate scan space");
    }
  }
  std::shared_ptr<hs_scratch_t> prototype(scratch, [](hs_scratch_t* s) {
    if (s) hs_free_scratch(s);
  });
  const uint64_t generation = nextGeneration.fetch_add(1);
  for (auto* d : all) {
    d->prototype_ = prototype;
    d->generation_ = generation;
  }
  return {};
}

Detector::~Detector() {
  for (auto* db : located_) hs_free_database(db);
  if (db_) hs_free_database(db_);
}

void Detector::locate(std::string_view text, uint32_t expr, const std::vector<size_t>& ends,
                      std::vector<Candidate>& out) const {
  // Windows [end - reach - 1, end + 1] (a byte more on each side for the context a \b needs),
  // merged where they overlap; of what each finds, only matches ending where the whole-text
  // pass saw one end are real (the window's edges are not the text's).
  const size_t before = out.size();
  const size_t reach = reach_[expr] + 1;
  auto startOf = [reach](size_t end) { return end > reach ? end - reach : 0; };
  size_t i = 0;
  while (i < ends.size()) {
    const size_t from = startOf(ends[i]);
    size_t last = ends[i];
    size_t j = i + 1;
    while (j < ends.size() && startOf(ends[j]) <= last + 1) last = ends[j++];
    const size_t to = std::min(last + 1, text.size());
    Located ctx{&out, expr, from};
    hs_scan(located_[expr], text.data() + from, unsigned(to - from), 0, tls.scratch, onMatch, &ctx);
    i = j;
  }
  auto isEnd = [&ends](const Candidate& c) {
    return std::binary_search(ends.begin(), ends.end(), c.end);
  };
  out.erase(std::remove_if(out.begin() + std::ptrdiff_t(before), out.end(),
                           [&](const Candidate& c) { return !isEnd(c); }),
            out.end());
}

void Detector::scan(std::string_view text, std::vector<Finding>& out) const {
  if (!db_ || text.empty()) return;
  if (tls.generation != generation_) {
    // This thread's first scan with this config's detectors: a scratch that fits all of them.
    hs_scratch_t* fresh = nullptr;
    if (hs_clone_scratch(prototype_.get(), &fresh) != HS_SUCCESS) return;
    if (tls.scratch) hs_free_scratch(tls.scratch);
    tls.scratch = fresh;
    tls.generation = generation_;
  }
  thread_local std::vector<std::vector<size_t>> ends;
  ends.resize(std::max(ends.size(), expressions_.size()));
  Ends found{&ends};
  hs_scan(db_, text.data(), unsigned(text.size()), 0, tls.scratch, onEnd, &found);
  if (!found.any) return;
  std::vector<Candidate> candidates;
  for (size_t e = 0; e < expressions_.size(); ++e) {
    if (ends[e].empty()) continue;
    locate(text, uint32_t(e), ends[e], candidates);
    ends[e].clear();
  }
  // Keep the longest valid match per start, the leftmost first.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end > b.end;
    return a.expr < b.expr;
  });
  size_t coveredTo = 0;
  bool any = false;
  for (const auto& c : candidates) {
    if (any && c.begin < coveredTo) continue;
    if (c.end <= c.begin) continue;
    const auto& e = expressions_[c.expr];
    if (e.validate && !e.validate(text, c.begin, c.end)) continue;
    out.push_back({e.rule, c.begin, c.end});
    coveredTo = c.end;
    any = true;
  }
}

}  // namespace switchyard::guardrails
