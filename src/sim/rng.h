// The simulator's own random numbers: xoshiro256** seeded through splitmix64, and exponential variates by
// inverse transform. std:: distributions are not used on purpose: their output differs between standard
// libraries, and a scenario run must give the same figures for the same seed everywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace nysol::sim {

// splitmix64 (Steele, Lea, Flood 2014): a 64-bit mixer, used to expand one seed into xoshiro's state and to
// derive independent streams (one per replication) from (seed, index).
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman, Vigna 2018). Not thread-safe; one generator per replication.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& word : s_) word = SplitMix64(&sm);
  }
  // A generator for stream `stream` of `seed`: replication k of a run uses Rng::Stream(seed, k), so that a
  // replication's figures do not depend on how many others ran before it.
  static Rng Stream(uint64_t seed, uint64_t stream) {
    uint64_t sm = seed ^ (0xd1b54a32d192ed03ULL * (stream + 1));
    return Rng(SplitMix64(&sm));
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform on (0, 1]: never 0, so that log() below is finite.
  double Uniform() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }
  // Exponential with the given rate (> 0), by inverse transform: -ln(U) / rate.
  double Exponential(double rate) { return -std::log(Uniform()) / rate; }
  // True with probability p.
  bool Bernoulli(double p) { return Uniform() <= p; }
  // Uniform integer in [0, n), n > 0 (53 random bits scaled; the tiny bias is irrelevant here).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>(static_cast<double>(Next() >> 11) * 0x1.0p-53 * static_cast<double>(n));
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace nysol::sim
