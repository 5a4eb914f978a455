#include "followup/live_snapshot.h"

namespace nysol::followup {

void LiveSnapshot::CatchUp() {
  std::lock_guard lock(mutex_);
  store_.Read([this](store::Db& db) { snapshot_.CatchUp(db); });
}

Report LiveSnapshot::Measure(const MeasureRequest& request, const MeasureContext& context) {
  std::lock_guard lock(mutex_);
  store_.Read([this](store::Db& db) { snapshot_.CatchUp(db); });
  return followup::Measure(snapshot_, request, context);
}

void LiveSnapshot::Use(const std::function<void(const Snapshot&, store::Db&)>& use) {
  std::lock_guard lock(mutex_);
  store_.Read([&](store::Db& db) {
    snapshot_.CatchUp(db);
    use(snapshot_, db);
  });
}

}  // namespace nysol::followup
