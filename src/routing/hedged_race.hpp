#pragma once
// Two attempts of one request racing each other (hedged requests): which of them may answer the
// client. The first to claim the client writes to it, and claiming aborts the other's upstream
// exchange at once, so the slower upstream stops working on an answer nobody will read. Both
// attempts run on the request's worker thread, so plain fields suffice.

#include <array>

namespace switchyard {

class UpstreamExchange;

class HedgedRace {
 public:
  static constexpr int kSlots = 2;

  // The attempt in `slot` runs on `exchange` (aborted if the other attempt wins).
  void enter(int slot, UpstreamExchange& exchange) { exchanges_[slot] = &exchange; }
  // The attempt in `slot` is about to write to the client: true when it may (it is the first
  // to ask, or it already won), false when the other one won.
  bool claim(int slot);
  bool lost(int slot) const { return winner_ >= 0 && winner_ != slot; }
  // The slot that answers the client; -1 while none does.
  int winner() const { return winner_; }

 private:
  int winner_ = -1;
  std::array<UpstreamExchange*, kSlots> exchanges_{};
};

}  // namespace switchyard
