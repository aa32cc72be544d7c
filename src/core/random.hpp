#pragma once
// The workers' random numbers: request and trace ids, trace sampling, weighted shuffles.
// SplitMix64 (Steele, Lea and Flood, 2014): an add, two multiplies and three shifts a number,
// where std::mt19937_64 costs several times that and regenerates 2.5 KB of state every 312
// numbers. Statistically sound for ids and choices; never for secrets.

#include <cstdint>
#include <random>

namespace switchyard {

class FastRandom {
 public:
  using result_type = uint64_t;

  explicit FastRandom(uint64_t seed) : state_(seed) {}
  // Seeded from the system's entropy source, 64 bits of it.
  static FastRandom seeded() {
    std::random_device device;
    return FastRandom((uint64_t(device()) << 32) ^ device());
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type(0); }
  result_type operator()() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace switchyard
