#pragma once
// Many expressions compiled into one Hyperscan database and run over a text in one pass; the
// candidates are then validated and reduced to non-overlapping findings (leftmost, then
// longest). Compiled once per config; scanning is thread-safe (each thread has its scratch).
//
// The pass over the whole text only finds where matches end (Hyperscan without start-of-match
// tracking runs at memory speed, with it some patterns run at tens of MB/s); where an expression
// matched, its own start-of-match database runs over a window that ends there and reaches back
// the expression's longest width (kMaxReach for unbounded ones), which finds the start. Most
// texts match nothing and cost only the first pass.

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "stages/guardrails/prebuilt_patterns.hpp"

namespace switchyard::guardrails {

struct Expression {
  std::string text;
  bool caseless = false;
  bool literal = false;  // a keyword: matched as written, not as an expression
  uint32_t rule = 0;     // what a match means to the caller (its rule index)
  Validator validate = nullptr;
  std::string path;  // config path, for compile errors
};

struct Finding {
  uint32_t rule = 0;
  size_t begin = 0;
  size_t end = 0;
};

struct Candidate {
  uint32_t expr;
  size_t begin;
  size_t end;
};

class Detector {
 public:
  // How far before its end an unbounded expression's match may start (longer ones are found
  // from there on).
  static constexpr size_t kMaxReach = 4096;

  // kBadRequest naming the expression's config path when one does not compile.
  static Result<std::unique_ptr<Detector>> compile(std::vector<Expression> expressions);
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // Appends the findings in `text` to `out`, in text order, none overlapping.
  void scan(std::string_view text, std::vector<Finding>& out) const;
  bool empty() const { return db_ == nullptr; }
  // Lets every detector of `all` scan with one scratch per thread, grown for all of them, instead
  // of growing a thread's scratch each time it switches between them.
  static Result<void> shareScratch(const std::vector<Detector*>& all);

 private:
  Detector() = default;
  // Where the starts of the matches of `expr` ending at `ends` are: candidates into `out`.
  void locate(std::string_view text, uint32_t expr, const std::vector<size_t>& ends,
              std::vector<Candidate>& out) const;

  hs_database_t* db_ = nullptr;              // every expression, ends only
  std::vector<hs_database_t*> located_;      // per expression, with start of match
  std::vector<size_t> reach_;                // per expression: how far back a start can be
  std::shared_ptr<hs_scratch_t> prototype_;  // cloned once per thread that scans
  uint64_t generation_ = 0;  // tells a thread's cached scratch which database it fits
  std::vector<Expression> expressions_;
};

}  // namespace switchyard::guardrails
