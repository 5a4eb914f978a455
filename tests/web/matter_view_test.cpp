// A matter written as text for the API (MatterView::Text, the timeline's payloads copied as stored) must be
// the same JSON as the one the pages build (MatterView::Json, every payload parsed), for every matter of a
// generated municipality and for viewers who may and may not see a protected person's locating data.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "access/access_log.h"
#include "access/user_directory.h"
#include "app_fixture.h"
#include "core/clock.h"
#include "followup/live_snapshot.h"
#include "synth/municipality.h"
#include "web/api_json.h"
#include "web/json_text.h"

namespace nysol::web {
namespace {

using nlohmann::json;

class MatterViewTest : public AppFixture {
 protected:
  void SetUp() override {
    OpenApp("nysol-matter-view-");
    synth::MunicipalityOptions options{800, 2, 20260301, *ParseDate("2026-03-01")};
    synth::GenerateMunicipality(*store_, *rulebook_, options);
    users_ = std::make_unique<access::UserDirectory>(db_path_);
    access_log_ = std::make_unique<access::AccessLog>(db_path_);
    followup_ = std::make_unique<followup::LiveSnapshot>(*store_, 3);
  }

  AppServices Services() {
    return {*store_, *rulebook_, *catalog_, clock_, *users_, *access_log_, *followup_};
  }

  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{9}};
  std::unique_ptr<access::UserDirectory> users_;
  std::unique_ptr<access::AccessLog> access_log_;
  std::unique_ptr<followup::LiveSnapshot> followup_;
};

TEST_F(MatterViewTest, TheApisTextIsThePagesJsonForEveryMatter) {
  access::Principal worker{1, "utredare.a", "Utredare A", "utredning-barn"};
  worker.role = access::Role::kCaseWorker;
  access::Principal authorised = worker;
  authorised.protected_data_access = true;
  auto services = Services();
  auto db = store::OpenDb(db_path_);
  ASSERT_TRUE(db.ok()) << db.status().message();
  // The generator puts addresses only in person_registered, which belongs to no matter: make one matter's person
  // protected and give the matter an event with locating data, to see it hidden in the timeline too.
  auto& first = (*db)->Prepare("SELECT id, person_id FROM matters ORDER BY id LIMIT 1");
  ASSERT_TRUE(first.Step());
  int64_t with_address = first.Int(0);
  int64_t person = first.Int(1);
  first.Reset();
  (*db)->Prepare("UPDATE persons SET protected_identity = 1 WHERE id = ?1").Bind(1, person).Run();
  (*db)->Prepare("INSERT INTO journal (occurred_at, recorded_at, actor, unit, matter_id, person_id, kind, payload, "
                 "rulebook_version) VALUES ('2026-03-01', '2026-03-01T08:00:00Z', 'test', 'utredning-barn', ?1, ?2, "
                 "'person_registered', '{\"address\":\"Hemliggatan 1\",\"name\":\"Test\"}', 'test')")
      .Bind(1, with_address)
      .Bind(2, person)
      .Run();

  auto& ids = (*db)->Prepare("SELECT id FROM matters ORDER BY id");
  int matters = 0, events = 0;
  while (ids.Step()) {
    auto matter = store_->LoadMatter(ids.Int(0));
    ASSERT_TRUE(matter.ok()) << matter.status().message();
    for (const auto* viewer : {&worker, &authorised}) {
      MatterView view(*matter, services, *viewer);
      json text = json::parse(view.Text());
      json built = MatterView(*matter, services, *viewer).Json();
      ASSERT_EQ(text, built) << "matter " << matter->id;
      events += static_cast<int>(built["timeline"].size());
      if (viewer == &worker) {
        std::string clocks;
        JsonWriter w(clocks);
        WriteClocks(w, *matter, services);
        ASSERT_EQ(clocks, ClocksJson(*matter, services).dump()) << "matter " << matter->id;
      }
      if (matter->id != with_address) continue;
      EXPECT_TRUE(view.protected_person());
      json payload = text["timeline"].back()["payload"];
      EXPECT_EQ(payload["name"], "Test");
      EXPECT_EQ(payload.contains("address"), viewer == &authorised)
          << "the locating data of a protected person";
    }
    ++matters;
  }
  EXPECT_GT(matters, 150);
  EXPECT_GT(events, 1500);
}

}  // namespace
}  // namespace nysol::web
