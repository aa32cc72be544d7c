#include "routing/hedged_race.hpp"

#include "client/upstream_exchange.hpp"

namespace switchyard {

bool HedgedRace::claim(int slot) {
  if (winner_ >= 0) return winner_ == slot;
  winner_ = slot;
  for (int other = 0; other < kSlots; ++other) {
    if (other != slot && exchanges_[other] != nullptr) exchanges_[other]->abort();
  }
  return true;
}

}  // namespace switchyard
