// A columnar in-memory snapshot of the journal for follow-up: one row per counted event ("fact"), each
// attribute in its own array, so a measure over millions of events is a scan of a few compact columns. The
// server keeps one current by reading the events appended since the last call (CatchUp).
//
// Everything here is derived from the journal alone; nothing is counted by hand and nothing is read from the
// current-state tables.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/db.h"

namespace nysol::followup {

// The facts that measures count, one per journal event of that kind.
enum class FactKind : uint8_t {
  kReport,                  // report_received (19 kap.)
  kApplication,             // application_received
  kFirstLine,               // first_line_participation (11 kap. 5 §); `count` people
  kPreliminaryDecided,      // preliminary_decided (20 kap. 2 §)
  kInvestigationStarted,    // investigation_started (20 kap. 3 §)
  kInvestigationCompleted,  // investigation_completed
  kDecision,                // decision_made
  kInterventionStarted,     // intervention_started
};

enum Gender : uint8_t { kFemale = 0, kMale = 1, kGenderUnknown = 2 };
inline constexpr uint8_t kAgeUnknown = 255;
inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::max();

// Fact flags.
inline constexpr uint8_t kWithinTime = 1;   // the step was taken within its statutory limit
inline constexpr uint8_t kExtended = 2;     // the limit was extended (20 kap. 2 § / 3 §)
inline constexpr uint8_t kChildMatter = 4;  // the matter is about a child or young person
inline constexpr uint8_t kFavourable = 8;   // a decision granted in whole or part
inline constexpr uint8_t kReportable = 16;  // a decision under 11 kap. 1 § or 12 kap. 1 § (34 kap. 1 §)
inline constexpr uint8_t kTimeNotCounted = 32;  // no statutory limit applies (adults' investigations)

// Strings stored once; facts hold their index.
class Dictionary {
 public:
  uint16_t Id(std::string_view text);
  const std::string& Text(uint16_t id) const { return texts_[id]; }
  size_t size() const { return texts_.size(); }
  const std::vector<std::string>& texts() const { return texts_; }

 private:
  std::vector<std::string> texts_;
  std::unordered_map<std::string, uint16_t> ids_;
};

struct Facts {
  std::vector<int32_t> day;  // days since 1970-01-01, the date the event is counted on
  std::vector<FactKind> kind;
  std::vector<uint16_t> unit;     // Snapshot::units
  std::vector<uint8_t> gender;    // Gender
  std::vector<uint8_t> age;       // whole years on `day`, or kAgeUnknown
  std::vector<uint16_t> code;     // Snapshot::codes: reporter category, catalog item, preliminary decision
                                  // (open_investigation …), intervention
  std::vector<uint16_t> channel;  // Snapshot::codes: the channel of a report or application, the legal basis
                                  // of a decision, else 0 ("")
  std::vector<int32_t> lead;     // days since the step began (see measures.h), or -1
  std::vector<int32_t> end_day;  // a decision: the day it was carried out (first intervention started), else
                                 // kNoDay; a report: the day of the previous report about the same person
  std::vector<uint8_t> flags;
  std::vector<uint32_t> person;  // journal person_id, 0 for none
  std::vector<uint32_t>
      count;  // people this fact counts (a non-identifying first-line registration: several)

  size_t size() const { return day.size(); }
};

// Matters, for the open queue: opened, decided, closed and the unit they are in.
struct Matters {
  std::vector<int32_t> opened;
  std::vector<int32_t> closed;        // kNoDay while open
  std::vector<int32_t> decided;       // the first decision on the matter's merits (decision_made), or kNoDay
  std::vector<uint16_t> unit;         // current unit
  std::vector<uint16_t> unit_before;  // before the last transfer
  std::vector<int32_t> transferred;   // day of the last transfer, kNoDay if none
  std::vector<uint8_t> gender;
  std::vector<uint8_t> age;  // on the day opened
  std::vector<uint8_t> child;

  size_t size() const { return opened.size(); }
};

class Snapshot {
 public:
  Snapshot() : Snapshot(kPageRows) {}
  // `page_rows`: how many journal rows one statement reads (tests make it small to cross pages).
  explicit Snapshot(int64_t page_rows);
  static constexpr int64_t kPageRows = 20000;

  // Reads the events after the last one read. If a gallring run (16 kap. SoL) has removed events since, the
  // snapshot starts over from the first event, so removed people leave the figures too.
  Status CatchUp(store::Db& db);

  const Facts& facts() const { return facts_; }
  const Matters& matters() const { return matters_; }
  const Dictionary& units() const { return units_; }
  const Dictionary& codes() const { return codes_; }
  int64_t last_seq() const { return last_seq_; }
  int64_t events() const { return events_; }
  // The matter index of a journal matter id, or -1.
  int32_t MatterIndex(int64_t matter_id) const;
  // decision_id → its kDecision fact.
  const std::unordered_map<int64_t, size_t>& decisions() const { return decision_facts_; }
  std::optional<int> BirthYear(int64_t person_id) const;

  // For benchmarks only (bench/followup_bench.cpp): makes the snapshot `copies` times as large, standing in
  // for a journal of several districts. Appends copies - 1 copies of every fact and matter; copy k (2, 3, …)
  // is in units of its own ("<unit>~k") and its person ids are shifted past the original ones. events() is
  // multiplied too. decisions() and BirthYear() still know the original facts and persons only. Call it last:
  // a later CatchUp would append new events after the copies.
  void Replicate(int copies);

 private:
  struct Person {
    uint8_t gender = kGenderUnknown;
    int32_t birth_day = kNoDay;  // exact, or 1 July of an approximate birth year
    int32_t last_report = kNoDay;
  };
  struct MatterState {
    int32_t index = -1;
    int64_t person_id = 0;
    int32_t investigation_started = kNoDay;
    bool preliminary_extended = false;
    bool investigation_extended = false;
  };

  void Reset();
  int64_t page_rows_;
  // Applies the events after `seq`; with stop_at_removal, stops at a records_removed event and returns true.
  bool ReadAfter(store::Db& db, int64_t seq, bool stop_at_removal);
  void Apply(int64_t seq, std::string_view kind, std::string_view occurred_at, std::string_view unit,
             int64_t matter_id, int64_t person_id, std::string_view payload);
  size_t AddFact(FactKind kind, int32_t day, std::string_view unit, int64_t person_id);
  uint8_t GenderOf(int64_t person_id) const;
  uint8_t AgeOf(int64_t person_id, int32_t day) const;  // whole years, or kAgeUnknown

  Facts facts_;
  Matters matters_;
  Dictionary units_;
  Dictionary codes_;
  std::unordered_map<int64_t, Person> persons_;
  std::unordered_map<int64_t, MatterState> matter_states_;
  std::unordered_map<int64_t, size_t> decision_facts_;  // decision_id → its kDecision fact
  int64_t last_seq_ = 0;
  int64_t events_ = 0;
};

// Days since 1970-01-01 of an ISO date ("2026-03-15", or the date part of a date-time); kNoDay if malformed.
int32_t DayNumber(std::string_view iso);
std::string DayText(int32_t day);

}  // namespace nysol::followup
