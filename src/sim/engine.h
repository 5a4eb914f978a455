// The discrete-event engine: a clock and a priority queue of pending events, earliest first; events at the
// same time come out in the order they were scheduled, so a run is deterministic. Events are small values
// (a kind and an id the model interprets), not callbacks, which keeps scheduling allocation-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nysol::sim {

struct Event {
  double time = 0;
  uint64_t order = 0;  // scheduling order, breaks ties
  uint32_t kind = 0;   // the model's event type
  uint32_t id = 0;     // the model's entity (customer, case, server …)
};

// Not thread-safe; one per replication.
class Engine {
 public:
  // Schedules an event at absolute time `time` (>= now()).
  void Schedule(double time, uint32_t kind, uint32_t id);
  // Removes the earliest event into *event, advances now() to its time and counts it. False when empty.
  bool Next(Event* event);
  double now() const { return now_; }
  // Events taken out by Next() so far.
  uint64_t processed() const { return processed_; }
  size_t pending() const { return heap_.size(); }
  void Reserve(size_t events) { heap_.reserve(events); }

 private:
  static bool Before(const Event& a, const Event& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  std::vector<Event> heap_;  // binary min-heap on (time, order)
  double now_ = 0;
  uint64_t next_order_ = 0;
  uint64_t processed_ = 0;
};

}  // namespace nysol::sim
