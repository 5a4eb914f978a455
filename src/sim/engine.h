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
  // Schedules an event at absolute time `time` (>= now()). Inline: the hot path of every model.
  void Schedule(double time, uint32_t kind, uint32_t id) {
    Event event{time, next_order_++, kind, id};
    size_t i = heap_.size();
    heap_.push_back(event);
    while (i > 0) {  // sift up
      size_t parent = (i - 1) / 2;
      if (!Before(event, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = event;
  }
  // Removes the earliest event into *event, advances now() to its time and counts it. False when empty.
  bool Next(Event* event) {
    if (heap_.empty()) return false;
    *event = heap_.front();
    Event last = heap_.back();
    heap_.pop_back();
    const size_t n = heap_.size();
    if (n > 0) {  // sift the last element down from the root
      size_t i = 0;
      for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && Before(heap_[child + 1], heap_[child])) ++child;
        if (!Before(heap_[child], last)) break;
        heap_[i] = heap_[child];
        i = child;
      }
      heap_[i] = last;
    }
    now_ = event->time;
    ++processed_;
    return true;
  }
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
