// Time is read through a Clock so that tests and the demo generator can set it. Code never calls the system
// clock directly.
#pragma once

#include <chrono>
#include <string>

#include "core/civil_date.h"

namespace nysol {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant (UTC).
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

// The real clock. The only place the system clock is read.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stands still until told otherwise.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point now) : now_(now) {}
  std::chrono::system_clock::time_point Now() const override { return now_; }
  void Set(std::chrono::system_clock::time_point now) { now_ = now; }

 private:
  std::chrono::system_clock::time_point now_;
};

// Converts an instant to local time in Europe/Stockholm (CET/CEST, EU summer-time rules).
LocalDateTime ToStockholm(std::chrono::system_clock::time_point instant);
// The instant at which local Stockholm wall-clock time `t` occurred (the earlier one in the autumn overlap).
std::chrono::system_clock::time_point FromStockholm(const LocalDateTime& t);
// UTC instant as "2026-03-15T13:30:00Z".
std::string FormatUtc(std::chrono::system_clock::time_point instant);

}  // namespace nysol
