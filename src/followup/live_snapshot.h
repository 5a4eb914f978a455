// The server's snapshot of the journal, kept current: before each report it reads the events written since
// the last one, so a measure asked for a second after a registration includes it. Safe to use from several
// request threads: one lock around catching up and measuring.
#pragma once

#include <functional>
#include <mutex>

#include "followup/measures.h"
#include "followup/snapshot.h"
#include "store/case_store.h"

namespace nysol::followup {

class LiveSnapshot {
 public:
  // `suppress_below`: the threshold every published report uses (docs/SUPPRESSION.md), `nysol serve
  // --suppress-below`.
  LiveSnapshot(store::CaseStore& store, int suppress_below)
      : store_(store), suppress_below_(suppress_below) {}

  int suppress_below() const { return suppress_below_; }

  // Reads the events written since the last call.
  void CatchUp();
  // Catches up with the journal, then measures (unsuppressed; the caller publishes through SuppressReport).
  Report Measure(const MeasureRequest& request, const MeasureContext& context);
  // Catches up with the journal, then calls `use` with the snapshot and a read connection, under the lock
  // (the planning page calibrates its model from both). `use` must keep neither beyond the call.
  void Use(const std::function<void(const Snapshot&, store::Db&)>& use);

 private:
  store::CaseStore& store_;
  const int suppress_below_;
  std::mutex mutex_;
  Snapshot snapshot_;  // guarded by mutex_
};

}  // namespace nysol::followup
