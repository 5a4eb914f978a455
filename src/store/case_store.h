// The case store: the journal and current-state tables in one SQLite database. Every write runs a command's
// decision inside one transaction — read, decide, append events, project them, commit — so a refused command
// or a crash leaves nothing half-written. Thread-safe: connections come from a small pool and writes are
// serialised.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/matter_commands.h"
#include "store/db.h"

namespace nysol::store {

struct PersonRow {
  int64_t id = 0;
  std::optional<std::string> identity_number;
  std::string identity_kind;
  std::optional<std::string> name;
  std::optional<std::string> birth_date;
  std::optional<int64_t> birth_year;
  std::optional<std::string> sex;
  std::optional<std::string> address;  // locating data: shown only to users authorised for protected persons
  bool protected_identity = false;
};

struct ReportRow {
  int64_t report_id = 0;
  int64_t matter_id = 0;
  int64_t person_id = 0;
  std::string received_at;
  std::string reporter_category;
  std::string channel;
  std::optional<std::string> reporter_name;
  std::string text;
  std::string disposition;
  std::string outcome;
  std::string protection_due;
  std::optional<std::string> protection_assessed_at;
  std::optional<bool> immediate_need;
};

struct MatterSummary {
  int64_t id = 0;
  std::string kind;
  std::string phase;
  std::string unit;
  int64_t person_id = 0;
  std::string received_on;
  std::optional<std::string> assigned_to;
  bool person_protected = false;
};

// A committee decision on an intervention without needs assessment, as stored (migration 7).
struct CommitteeDecisionRow {
  CommitteeDecisionRecord rule;  // what applies when
  std::string item_name_sv;
  std::string catalog_version;
  std::string decided_on;
  std::string minutes_paragraph;
  std::string dnr;
  std::optional<int64_t> ended_by;
  std::optional<std::string> target_group;
  std::optional<int64_t> max_sessions;
  std::optional<std::string> conditions;
  std::optional<std::string> identity_exempt_reasons;
  std::string recorded_by;
};

// A journal event with its payload still the JSON text the store wrote (Append binds `payload.dump()`), for a
// reader that passes most payloads through unread; `event.payload` stays null.
struct StoredEvent {
  Event event;
  std::string payload;
};

// What a matter's page shows beside its state: its journal, its reports and its person.
struct MatterDetails {
  std::vector<StoredEvent> journal;
  std::vector<ReportRow> reports;
  std::optional<PersonRow> person;
};

struct MatterFilter {
  std::optional<std::string> unit;
  std::optional<std::string> assigned_to;
  bool open_only = true;
  int limit = 100;
  int64_t after_id = 0;  // keyset paging
  bool unassigned_only = false;  // matters nobody has been given yet (MattersByUrgency, CountOpenMatters)
};

class CaseStore {
 public:
  // Opens or creates the database at `path` and applies pending migrations.
  static Result<std::unique_ptr<CaseStore>> Open(const std::string& path);

  using Decider = std::function<Result<Events>(CaseView&)>;
  // Runs inside the same transaction after the events are stored, e.g. to write the access log with them, so
  // that a write and its log row commit together or not at all. Throws to roll everything back.
  using Finisher = std::function<void(Db&, const Events&)>;
  // Runs `decide` in one write transaction; its events get sequence numbers, are appended to the journal and
  // projected, and the transaction commits. A failed decision rolls back and its Status is returned.
  Result<Events> Write(const Decider& decide, const Finisher& finish = nullptr);

  // Bulk loading (the demo generator): writes are grouped into large transactions with synchronous=OFF. A
  // refused command writes nothing; a command that throws rolls back everything since the last commit (the
  // caller abandons the load). EndBulk commits and restores durability.
  void BeginBulk();
  void EndBulk();

  Result<MatterState> LoadMatter(int64_t id);
  std::optional<PersonRow> GetPerson(int64_t id);
  // MatterJournal(matter_id), ReportsInMatter(matter_id) and GetPerson(person_id), read together: one round
  // trip on PostgreSQL instead of three.
  MatterDetails LoadMatterDetails(int64_t matter_id, int64_t person_id);
  std::optional<PersonRow> FindPersonByIdentityNumber(const std::string& digits);
  std::vector<ReportRow> ReportsAboutPerson(int64_t person_id);
  std::vector<ReportRow> ReportsInMatter(int64_t matter_id);
  std::vector<Event> MatterJournal(int64_t matter_id);
  std::vector<Event> PersonJournal(int64_t person_id);  // every event about the person, in all their matters
  std::vector<MatterSummary> ListMatters(const MatterFilter& filter);
  // Open matters of `filter.unit` (and `filter.assigned_to`), the next statutory due date first: an
  // unassessed report's protection assessment, the preliminary assessment, the investigation; matters with no
  // such date running come last. At most `filter.limit`; `filter.after_id` and `open_only` are not used.
  std::vector<MatterSummary> MattersByUrgency(const MatterFilter& filter);
  // How many open matters `filter.unit` (and `filter.assigned_to`) has.
  int64_t CountOpenMatters(const MatterFilter& filter);
  // Every committee decision, oldest first; with `on`, only those that apply on that day.
  std::vector<CommitteeDecisionRow> CommitteeDecisions(std::optional<Date> on = std::nullopt);
  // The first-line participations registered by `unit` on `date`, as JSON rows (no name or number: a person
  // appears by id only).
  std::vector<nlohmann::json> FirstLineParticipations(std::string_view unit, Date date);
  // Events recorded at or after `since_utc` (the journal's UTC format), newest first, at most `limit`. Reads
  // only the journal's tail: seq grows with the time of recording.
  std::vector<Event> RecentEvents(std::string_view since_utc, int limit);
  std::vector<MatterSummary> MattersOfPerson(int64_t person_id);
  // Persons whose name contains `part`, whatever the case of its letters (FoldName: "öberg" finds "Öberg"),
  // and who have a matter in `unit`, by name; at most `limit`.
  std::vector<PersonRow> FindPersonsByName(std::string_view part, std::string_view unit, int limit);
  int64_t JournalLength();
  // Runs `read` on a pooled read connection (for readers outside the store, such as follow-up's snapshot).
  // `read` must not keep the connection or a statement beyond the call.
  void Read(const std::function<void(Db&)>& read);

  const std::string& path() const { return path_; }

  // While one is alive, this thread's reads of the store share one connection and, on SQLite, one read
  // transaction: what a request shows comes from one snapshot, and SQLite's page cache lasts from statement
  // to statement (any commit, such as the access log's after every logged read, empties it before each new
  // transaction). A write through the store commits on a connection of its own and ends the snapshot, so what
  // the request reads afterwards includes it. Scopes do not nest: an inner one on the same thread does
  // nothing.
  class ReadScope {
   public:
    explicit ReadScope(CaseStore& store);
    ~ReadScope();
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;

   private:
    friend class CaseStore;
    Db& Connection();  // the scope's connection, its read transaction begun
    void EndSnapshot();
    CaseStore& store_;
    bool active_ = false;     // false for an inner scope
    std::unique_ptr<Db> db_;  // from the pool at the first read, back to it at the end
    bool in_transaction_ = false;
  };

 private:
  class Lease;
  explicit CaseStore(std::string path) : path_(std::move(path)) {}
  Lease Acquire();               // the thread's ReadScope connection if there is one, else one from the pool
  std::unique_ptr<Db> Pooled();  // an idle connection of the pool, or a new one
  void Release(std::unique_ptr<Db> db);
  Result<Events> WriteOn(Db& db, const Decider& decide, const Finisher& finish);

  std::string path_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Db>> idle_;  // GUARDED_BY(pool_mutex_)
  std::mutex write_mutex_;                       // one writer at a time
  std::unique_ptr<Db> bulk_db_;            // set between BeginBulk and EndBulk
  std::vector<std::pair<std::string, std::string>> bulk_journal_indexes_;  // (name, CREATE sql), rebuilt by EndBulk
  int bulk_pending_ = 0;
  void DropBulkJournalIndexes(Db& db);
  // Events whose `column` (matter_id or person_id, a constant, never input) is `id`, in order.
  std::vector<Event> JournalWhere(std::string_view column, int64_t id);
};

// The statement CountOpenMatters runs for a unit's open matters (`assigned`: of one case worker;
// `unassigned`: of nobody). On SQLite it names the partial index that holds just those matters. Left to
// choose, SQLite took matters_open (unit, phase) whenever it had no statistics (a database that was never
// analysed: any database but the demo's) or only a small sample's (the demo's), and walked every matter the
// unit ever had, the closed ones of ten years included: 86,869 entries to count 9,734 open matters in the
// 100,000-person demo, 6.2 ms instead of 0.5. INDEXED BY is what SQLite has for a plan that must not change
// with the statistics.
const std::string& CountOpenMattersSql(Engine engine, bool assigned, bool unassigned);
// The statement ListMatters runs for `filter`. On SQLite the lists of a unit (the API's: it always names one)
// name their index, for the same reason: without statistics SQLite read and sorted every matter the unit ever
// had for a page of 20 of them (30-60 ms in the demo, under 1 ms through the index).
const std::string& ListMattersSql(Engine engine, const MatterFilter& filter);
// The statement MattersByUrgency runs, named the same way on SQLite.
const std::string& MattersByUrgencySql(Engine engine, bool assigned, bool unassigned);
// Loads a matter's rule-relevant state from current-state tables (used inside and outside transactions).
std::optional<MatterState> LoadMatterState(Db& db, int64_t id);
// Appends `event` to the journal and sets its seq.
void AppendEvent(Db& db, Event& event);
// Reads the journal in order, calling `fn` for each event; `page_rows` rows per statement.
void ForEachEvent(Db& db, const std::function<void(const Event&)>& fn, int64_t page_rows = 20000);
// Applies all migrations not yet applied.
void Migrate(Db& db);

}  // namespace nysol::store
