#include "sim/engine.h"

namespace nysol::sim {

void Engine::Schedule(double time, uint32_t kind, uint32_t id) {
  Event event{time, next_order_++, kind, id};
  // Sift up.
  size_t i = heap_.size();
  heap_.push_back(event);
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!Before(event, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = event;
}

bool Engine::Next(Event* event) {
  if (heap_.empty()) return false;
  *event = heap_.front();
  Event last = heap_.back();
  heap_.pop_back();
  size_t n = heap_.size();
  if (n > 0) {
    // Sift the last element down from the root.
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

}  // namespace nysol::sim
