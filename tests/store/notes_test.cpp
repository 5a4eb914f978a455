// Journal notes (14 kap. SoL) and drafts in the store: notes are projected from the journal and replay to the
// same state; a correction names the note it corrects and never changes it; an objection is its own kind
// (14 kap. 6 §). Drafts are one user's working text, found by prefix and removed with it.
#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "store/drafts.h"
#include "store/replay.h"
#include "store/db.h"
#include "test_database.h"

namespace nysol::testing {
namespace {

class NotesTest : public ChainTest {
 protected:
  Result<Events> Note(int64_t matter, const nlohmann::json& input) { return Step(matter, AddNote, input); }

  std::string Column(const std::string& sql) {
    auto db = store::OpenDb(testing::TestDatabase(dir_));
    auto& st = (*db)->Prepare(sql);
    return st.Step() ? st.Text(0) : "<none>";
  }
};

TEST_F(NotesTest, ANoteIsJournaledAndProjected) {
  int64_t matter = Report(kChildA);
  auto events = Note(matter, {{"text", "Samtal med mamman."}});
  ASSERT_TRUE(events.ok()) << events.status().message();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().kind, "note_added");
  EXPECT_EQ(events->front().payload["kind"], "note");
  EXPECT_EQ(events->front().payload["note_id"], 1);
  EXPECT_EQ(Column("SELECT text || '|' || kind || '|' || author FROM notes WHERE id = 1"),
            "Samtal med mamman.|note|tester");
  EXPECT_EQ(store_->LoadMatter(matter)->note_ids, std::vector<int64_t>{1});
}

TEST_F(NotesTest, ACorrectionNamesTheNoteAndLeavesItAsItWas) {
  int64_t matter = Report(kChildA);
  ASSERT_TRUE(Note(matter, {{"text", "Barnet är 9 år."}}).ok());
  auto correction = Note(matter, {{"text", "Rättelse: barnet är 10 år."}, {"corrects", 1}});
  ASSERT_TRUE(correction.ok()) << correction.status().message();
  EXPECT_EQ(Column("SELECT text FROM notes WHERE id = 1"), "Barnet är 9 år.");
  EXPECT_EQ(Column("SELECT corrects FROM notes WHERE id = 2"), "1");
  auto objection = Note(matter, {{"text", "Pappan anser att uppgiften om skolan är fel."}, {"kind", "objection"}});
  ASSERT_TRUE(objection.ok());
  EXPECT_EQ(Column("SELECT kind FROM notes WHERE id = 3"), "objection");
}

TEST_F(NotesTest, BadNotesAreRefusedAndWriteNothing) {
  int64_t matter = Report(kChildA);
  int64_t other = Report(kChildB);
  ASSERT_TRUE(Note(other, {{"text", "En annan persons anteckning."}}).ok());
  int64_t journal = store_->JournalLength();
  EXPECT_EQ(Note(matter, {{"text", ""}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Note(matter, {{"kind", "note"}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Note(matter, {{"text", "X"}, {"kind", "rumour"}}).status().code(), ErrorCode::kInvalidInput);
  // A note can only correct a note of the same matter.
  auto elsewhere = Note(matter, {{"text", "X"}, {"corrects", 1}});
  EXPECT_EQ(elsewhere.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(elsewhere.status().message().find("has no note 1"), std::string::npos);
  EXPECT_EQ(Note(matter, {{"text", "X"}, {"edit", true}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Note(matter, {{"text", std::string(20001, 'x')}}).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(store_->JournalLength(), journal);
}

TEST_F(NotesTest, NotesReplayToTheSameState) {
  int64_t matter = Report(kChildA);
  ASSERT_TRUE(Note(matter, {{"text", "Första."}}).ok());
  ASSERT_TRUE(Note(matter, {{"text", "Rättar första."}, {"corrects", 1}}).ok());
  auto db = store::OpenDb(testing::TestDatabase(dir_));
  ASSERT_TRUE(db.ok());
  auto report = store::VerifyReplay(**db);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->events, store_->JournalLength());
}

TEST_F(NotesTest, DraftsAreKeptPerUserAndFoundByPrefix) {
  std::string path = testing::TestDatabase(dir_);
  {
    auto db = store::OpenDb(path);
    (*db)->Exec(
        "INSERT INTO users (id, username, display_name, unit, role, token_hash, created_at) VALUES "
        "(1, 'anna', 'Anna', 'utredning-barn', 'case_worker', 'a', '2026-03-02T08:00:00Z'), "
        "(2, 'bo', 'Bo', 'utredning-barn', 'case_worker', 'b', '2026-03-02T08:00:00Z')");
  }
  const int64_t anna = 1;
  const int64_t bo = 2;
  int64_t matter = Report(kChildA);
  store::Drafts drafts(path);
  ASSERT_TRUE(drafts.Save(anna, "matter/1/notes/text", matter, "Halvfärdig", "2026-03-02T08:01:00Z").ok());
  ASSERT_TRUE(drafts.Save(anna, "matter/1/notes/text", matter, "Halvfärdig text", "2026-03-02T08:02:00Z").ok());
  ASSERT_TRUE(drafts.Save(anna, "matter/10/notes/text", std::nullopt, "Annat ärende", "2026-03-02T08:02:00Z").ok());
  ASSERT_TRUE(drafts.Save(bo, "matter/1/notes/text", matter, "Bos text", "2026-03-02T08:02:00Z").ok());
  auto mine = drafts.WithPrefix(anna, "matter/1/");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(*mine, (std::map<std::string, std::string>{{"matter/1/notes/text", "Halvfärdig text"}}));
  ASSERT_TRUE(drafts.Remove(anna, "matter/1/").ok());
  EXPECT_TRUE(drafts.WithPrefix(anna, "matter/1/")->empty());
  EXPECT_EQ(drafts.WithPrefix(anna, "matter/10/")->size(), 1u);
  EXPECT_EQ(drafts.WithPrefix(bo, "matter/1/")->size(), 1u) << "another user's drafts are untouched";
  // Saving empty text removes the draft.
  ASSERT_TRUE(drafts.Save(bo, "matter/1/notes/text", matter, "", "2026-03-02T08:03:00Z").ok());
  EXPECT_TRUE(drafts.WithPrefix(bo, "matter/")->empty());
}

}  // namespace
}  // namespace nysol::testing
