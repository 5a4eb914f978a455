// An event: one entry in the journal, the legal record. Every change to a matter is an event; current-state
// tables are projections of the events and can be rebuilt from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nysol {

struct Event {
  int64_t seq = 0;             // assigned by the store when appended
  std::string kind;            // "report_received", "preliminary_decided", … (see docs/EVENTS.md)
  std::string occurred_at;     // when it happened in the world, local Stockholm time or date (ISO 8601)
  std::string recorded_at;     // when it was written, UTC
  std::string actor;           // the user who did it
  std::string unit;            // the actor's unit
  std::optional<int64_t> matter_id;
  std::optional<int64_t> person_id;
  nlohmann::json payload;      // everything the projection needs, so replay never consults today's rules
  std::string rulebook_version;
};

}  // namespace nysol
