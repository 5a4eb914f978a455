// Work distribution and protected identity in the store: assignment, transfer between units, the protected-
// identity mark — projected, replayable, refused when they make no sense. And a write right after another
// process wrote (the CLI adding a user while the server runs) must not fail on a stale read snapshot.
#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "store/replay.h"
#include "test_database.h"

namespace nysol::testing {
namespace {

class AssignmentTest : public ChainTest {};

TEST_F(AssignmentTest, AssignThenTransferMovesTheMatterAndItsAssignee) {
  int64_t matter = Report("201305059899");
  ASSERT_TRUE(Step(matter, AssignMatter, {{"assigned_to", "anna"}}).ok());
  EXPECT_EQ(store_->LoadMatter(matter)->assigned_to, "anna");
  auto again = Step(matter, AssignMatter, {{"assigned_to", "anna"}});
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(Step(matter, TransferMatter, {{"to_unit", "utredning-barn"}, {"assigned_to", "fatima"}}).ok());
  auto moved = store_->LoadMatter(matter);
  EXPECT_EQ(moved->unit, "utredning-barn");
  EXPECT_EQ(moved->assigned_to, "fatima");
  // Transferring without naming an assignee leaves none: the old unit's case worker loses the matter.
  ASSERT_TRUE(Step(matter, TransferMatter, {{"to_unit", "vuxen"}}).ok());
  EXPECT_FALSE(store_->LoadMatter(matter)->assigned_to.has_value());
  EXPECT_EQ(Step(matter, TransferMatter, {{"to_unit", "vuxen"}}).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(Step(matter, TransferMatter, {{"to_unit", 7}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Step(matter, AssignMatter, {{"assigned_to", "anna"}, {"extra", 1}}).status().code(),
            ErrorCode::kInvalidInput);
}

TEST_F(AssignmentTest, ProtectedIdentityIsProjectedAndRefusedTwice) {
  int64_t matter = Report("201305059899");
  int64_t person = store_->LoadMatter(matter)->person_id;
  auto mark = [&](bool on) {
    return Run([&](CommandContext& ctx) {
      return SetProtectedIdentity(person, {{"protected", on}, {"reason", "Skyddad folkbokföring."}}, ctx);
    });
  };
  EXPECT_FALSE(store_->GetPerson(person)->protected_identity);
  ASSERT_TRUE(mark(true).ok());
  EXPECT_TRUE(store_->GetPerson(person)->protected_identity);
  EXPECT_EQ(mark(true).status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(mark(false).ok());
  EXPECT_FALSE(store_->GetPerson(person)->protected_identity);
  auto unknown = Run([&](CommandContext& ctx) {
    return SetProtectedIdentity(999, {{"protected", true}, {"reason", "x"}}, ctx);
  });
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound);
}

TEST_F(AssignmentTest, TheNewEventsReplayToTheSameState) {
  int64_t matter = Report("201305059899");
  ASSERT_TRUE(Step(matter, TransferMatter, {{"to_unit", "utredning-barn"}, {"assigned_to", "fatima"}}).ok());
  int64_t person = store_->LoadMatter(matter)->person_id;
  ASSERT_TRUE(Run([&](CommandContext& ctx) {
                return SetProtectedIdentity(person, {{"protected", true}, {"reason", "Skyddad."}}, ctx);
              }).ok());
  auto db = store::OpenDb(testing::TestDatabase(dir_));
  ASSERT_TRUE(db.ok());
  auto report = store::VerifyReplay(**db);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->events, store_->JournalLength());
}

TEST_F(AssignmentTest, AWriteAfterAnotherConnectionWroteDoesNotFailOnAStaleSnapshot) {
  // Reopened: every migration is already applied, so opening only reads (as the server does on start).
  store_.reset();
  auto reopened = store::CaseStore::Open(testing::TestDatabase(dir_));
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(*reopened);
  auto other = store::OpenDb(testing::TestDatabase(dir_));
  ASSERT_TRUE(other.ok());
  (*other)->Exec("INSERT INTO units (code, name_sv) VALUES ('familjeratt', 'Familjerätt')");
  EXPECT_GT(Report("201305059899"), 0);
}

}  // namespace
}  // namespace nysol::testing
