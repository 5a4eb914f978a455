// The simulator's own random numbers: xoshiro256** seeded through splitmix64, and exponential variates by the
// ziggurat method. std:: distributions are not used on purpose: their output differs between standard
// libraries, and a scenario run must give the same figures for the same seed everywhere.
#pragma once

#include <cmath>
#include <cstddef>
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
  // Exponential with mean 1 by the ziggurat method (Marsaglia and Tsang 2000): 256 layers of equal area under
  // exp(−x); about 99 % of draws take one random word, a multiplication and a comparison; the rest fall in a
  // layer's wedge (accepted by comparing with exp(−x)) or the tail beyond the last layer (r − ln U, by the
  // exponential's memorylessness). Exact: every accepted point lies under the density.
  double StandardExponential() {
    const ZigguratTable& z = Ziggurat();
    for (;;) {
      const uint64_t bits = Next();
      const size_t i = bits & 255;                                            // the layer: the low 8 bits
      const double x = static_cast<double>(bits >> 11) * 0x1.0p-53 * z.x[i];  // the top 53 bits
      if (x < z.x[i + 1]) return x;                     // inside the next layer's width: under the curve
      if (i == 0) return z.x[1] - std::log(Uniform());  // the tail beyond r
      const double y = z.f[i] + Uniform() * (z.f[i + 1] - z.f[i]);
      if (y < std::exp(-x)) return x;  // in the wedge, under the curve
    }
  }
  // Exponential with the given rate (> 0).
  double Exponential(double rate) { return StandardExponential() / rate; }
  // Exponential by inverse transform, −ln(U) / rate: the plain method, kept for comparison in the tests.
  double ExponentialInverse(double rate) { return -std::log(Uniform()) / rate; }
  // True with probability p.
  bool Bernoulli(double p) { return Uniform() <= p; }
  // Uniform integer in [0, n), n > 0 (53 random bits scaled; the tiny bias is irrelevant here).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>(static_cast<double>(Next() >> 11) * 0x1.0p-53 * static_cast<double>(n));
  }

 private:
  // Layer i is the rectangle [0, x[i]] × [f[i], f[i + 1]] with f = exp(−x); x[0] = v / exp(−r) stands for the
  // base strip with the tail, x[1] = r, x[256] = 0. r and v (the area of each layer) are the published
  // constants for 256 layers of the exponential.
  struct ZigguratTable {
    double x[257];
    double f[257];
    ZigguratTable() {
      const double r = 7.69711747013104972, v = 0.0039496598225815571993;
      x[0] = v / std::exp(-r);
      x[1] = r;
      for (int i = 2; i < 256; ++i) x[i] = -std::log(std::exp(-x[i - 1]) + v / x[i - 1]);
      x[256] = 0;
      for (int i = 0; i < 257; ++i) f[i] = std::exp(-x[i]);
      f[0] = 0;  // the base strip reaches down to 0
    }
  };
  static const ZigguratTable& Ziggurat() {
    static const ZigguratTable table;  // immutable once built
    return table;
  }
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace nysol::sim
