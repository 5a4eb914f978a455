#include "access/access_log.h"

#include <fmt/format.h>

#include <array>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "core/clock.h"

namespace nysol::access {
namespace {

constexpr const char* kEntryColumns =
    "id, at, username, unit, action, route, person_id, matter_id, remote_address, emergency, reason, outside_unit, "
    "protected_person";

AccessEntry ReadEntry(const store::Statement& st) {
  AccessEntry e;
  e.id = st.Int(0);
  e.at = st.Text(1);
  e.username = st.Text(2);
  e.unit = st.Text(3);
  e.action = st.Text(4);
  e.route = st.Text(5);
  e.person_id = st.OptInt(6);
  e.matter_id = st.OptInt(7);
  e.remote_address = st.Text(8);
  e.emergency = st.Int(9) != 0;
  e.reason = st.OptText(10);
  e.outside_unit = st.Int(11) != 0;
  e.protected_person = st.Int(12) != 0;
  return e;
}

// The UTC bounds of Stockholm days [from 00:00, the day after `to` 00:00).
std::pair<std::string, std::string> UtcBounds(Date from, Date to) {
  auto next = std::chrono::year_month_day{std::chrono::sys_days{to} + std::chrono::days{1}};
  return {FormatUtc(FromStockholm({from, 0, 0, 0})), FormatUtc(FromStockholm({next, 0, 0, 0}))};
}

// The Stockholm day of a stored UTC instant "YYYY-MM-DDTHH:MM:SSZ".
Date StockholmDay(const std::string& at) {
  auto date = ParseDate(at.substr(0, 10));
  if (!date.ok() || at.size() < 16) throw store::StoreError(fmt::format("access log time '{}' is malformed", at));
  auto instant = std::chrono::sys_days{*date} + std::chrono::hours{std::stoi(at.substr(11, 2))} +
                 std::chrono::minutes{std::stoi(at.substr(14, 2))};
  return ToStockholm(std::chrono::system_clock::time_point{instant}).date;
}

}  // namespace

namespace {

// Log rows as columns: on PostgreSQL all of a group's rows go in one INSERT of arrays, one round trip instead
// of one per row (a page of 20 matters is 20 rows); SQLite steps one prepared INSERT per row, which costs no
// round trips.
class LogRows {
 public:
  void Add(const Principal& who, const std::string& at, const std::string& route, const std::string& remote_address,
           const std::vector<AccessRecord>& records, const std::optional<std::string>& emergency_reason) {
    for (const auto& record : records) {
      at_.push_back(at);
      username_.push_back(who.username);
      unit_.push_back(who.unit);
      action_.push_back(record.action);
      route_.push_back(route);
      person_id_.push_back(record.person_id);
      matter_id_.push_back(record.matter_id);
      remote_address_.push_back(remote_address);
      emergency_.push_back(record.outside_unit && emergency_reason.has_value());
      reason_.push_back(record.outside_unit ? emergency_reason : std::nullopt);
      outside_unit_.push_back(record.outside_unit);
      protected_person_.push_back(record.protected_person);
    }
  }

  void Insert(store::Db& db) const {
    if (at_.empty()) return;
    if (db.engine() == store::Engine::kPostgres) {
      auto& st = db.Prepare(
          "INSERT INTO access_log (at, username, unit, action, route, person_id, matter_id, remote_address, "
          "emergency, reason, outside_unit, protected_person) SELECT * FROM unnest(?1::text[], ?2::text[], "
          "?3::text[], ?4::text[], ?5::text[], ?6::bigint[], ?7::bigint[], ?8::text[], ?9::bigint[], "
          "?10::text[], ?11::bigint[], ?12::bigint[])");
      BindColumns([&](int idx, const auto& column) { st.Bind(idx, Array(column)); });
      st.Run();
      return;
    }
    for (size_t i = 0; i < at_.size(); ++i) {
      auto& st = db.Prepare(
          "INSERT INTO access_log (at, username, unit, action, route, person_id, matter_id, remote_address, "
          "emergency, reason, outside_unit, protected_person) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
      BindColumns([&](int idx, const auto& column) { st.Bind(idx, column[i]); });
      st.Run();
    }
  }

 private:
  // PostgreSQL's array literal: every text element quoted, so no value can end an element or the array.
  static void Element(std::string& out, const std::string& value) {
    out += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  static void Element(std::string& out, const std::optional<std::string>& value) {
    if (value) {
      Element(out, *value);
    } else {
      out += "NULL";
    }
  }
  static void Element(std::string& out, int64_t value) { out += std::to_string(value); }
  static void Element(std::string& out, const std::optional<int64_t>& value) {
    out += value ? std::to_string(*value) : "NULL";
  }
  // Calls `bind(placeholder, column)` for the twelve columns in the INSERTs' order.
  template <typename Bind>
  void BindColumns(Bind bind) const {
    bind(1, at_);
    bind(2, username_);
    bind(3, unit_);
    bind(4, action_);
    bind(5, route_);
    bind(6, person_id_);
    bind(7, matter_id_);
    bind(8, remote_address_);
    bind(9, emergency_);
    bind(10, reason_);
    bind(11, outside_unit_);
    bind(12, protected_person_);
  }
  template <typename T>
  static std::string Array(const std::vector<T>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      Element(out, values[i]);
    }
    return out + "}";
  }

  std::vector<std::string> at_, username_, unit_, action_, route_, remote_address_;
  std::vector<std::optional<int64_t>> person_id_, matter_id_;
  std::vector<int64_t> emergency_, outside_unit_, protected_person_;
  std::vector<std::optional<std::string>> reason_;
};

}  // namespace

void AccessLog::AppendRows(store::Db& db, const Principal& who, const std::string& at, const std::string& route,
                           const std::string& remote_address, const std::vector<AccessRecord>& records,
                           const std::optional<std::string>& emergency_reason) {
  LogRows rows;
  rows.Add(who, at, route, remote_address, records, emergency_reason);
  rows.Insert(db);
}

// The group commit: one thread owns a connection for writing the log. It takes every request queued while its
// previous commit ran and appends their rows in one transaction; COMMIT (synchronous=FULL) makes them durable
// with one fsync, and only then is each request told. Under load one fsync serves dozens of requests instead of
// one, which is what capped reads at the rate of fsyncs.
class AccessLog::Writer {
 public:
  struct Request {
    Principal who;
    std::string at;
    std::string route;
    std::string remote_address;
    std::vector<AccessRecord> records;
    std::optional<std::string> emergency_reason;
    Done done;
  };

  Writer(std::string path, GroupCommit group_commit, Counters& counters)
      : path_(std::move(path)),
        group_commit_(group_commit),
        counters_(counters),
        thread_([this] { Run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  void Submit(Request request) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(request));
    }
    wake_.notify_one();
  }

 private:
  // Bounds one transaction (and the wait of the first request in it) when a backlog has built up.
  static constexpr size_t kMaxGroup = 512;

  void Run() {
    std::vector<Request> group;
    while (true) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything handed in is committed
        if (previous_group_ >= group_commit_.gather_after) {
          wake_.wait_for(lock, group_commit_.gather_for,
                         [this] { return stopping_ || queue_.size() >= group_commit_.gather_up_to; });
        }
        if (queue_.size() <= kMaxGroup) {
          group.swap(queue_);
        } else {
          group.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + kMaxGroup));
          queue_.erase(queue_.begin(), queue_.begin() + kMaxGroup);
        }
      }
      previous_group_ = group.size();
      Commit(group);
      group.clear();
    }
  }

  static void Tell(Request& request, Status status) {
    try {
      request.done(std::move(status));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "access log: a waiting request failed: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "access log: a waiting request failed\n");
    }
  }

  void Rollback() {
    try {
      db_->ResetStatements();
      db_->Exec("ROLLBACK");
    } catch (...) {  // SQLite may have rolled back already (an I/O error, a full disk)
    }
  }

  // Appends `group`'s rows in one transaction; true when it committed.
  bool TryCommit(std::vector<Request>& group, std::string* failure) {
    try {
      db_->BeginWrite();
      LogRows rows;
      for (const Request& r : group) rows.Add(r.who, r.at, r.route, r.remote_address, r.records, r.emergency_reason);
      rows.Insert(*db_);
      db_->Exec("COMMIT");
      db_->ResetStatements();
      counters_.commits += 1;
      counters_.requests += group.size();
      return true;
    } catch (const store::StoreError& e) {
      *failure = e.what();
      Rollback();
      return false;
    }
  }

  void Commit(std::vector<Request>& group) {
    if (!db_) {
      auto opened = store::OpenDb(path_);
      if (!opened.ok()) {
        for (Request& r : group) Tell(r, Error(ErrorCode::kUnavailable, fmt::format("access log: {}", opened.status().message())));
        return;  // tried again with the next group
      }
      db_ = std::move(*opened);
    }
    std::string failure;
    if (TryCommit(group, &failure)) {
      for (Request& r : group) Tell(r, Status::Ok());
      return;
    }
    if (group.size() == 1) {
      Tell(group.front(), Error(ErrorCode::kUnavailable, fmt::format("access log: {}", failure)));
      return;
    }
    // Something in the group failed and nothing of it was kept: each request again in its own transaction, so
    // that one request's failure stays its own.
    for (Request& r : group) {
      std::vector<Request> one;
      one.push_back(std::move(r));
      if (TryCommit(one, &failure)) {
        Tell(one.front(), Status::Ok());
      } else {
        Tell(one.front(), Error(ErrorCode::kUnavailable, fmt::format("access log: {}", failure)));
      }
    }
  }

  const std::string path_;
  std::unique_ptr<store::Db> db_;  // the writer thread's own
  const GroupCommit group_commit_;
  Counters& counters_;
  size_t previous_group_ = 0;  // the writer thread's own
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Request> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;       // GUARDED_BY(mutex_)
  std::thread thread_;          // last: starts once the members above exist
};

AccessLog::AccessLog(std::string db_path, GroupCommit group_commit)
    : db_path_(std::move(db_path)), group_commit_(group_commit) {}

AccessLog::~AccessLog() = default;

AccessLog::Writer& AccessLog::writer() {
  std::call_once(writer_started_,
                 [this] { writer_ = std::make_unique<Writer>(db_path_, group_commit_, counters_); });
  return *writer_;
}

CommitCounts AccessLog::Committed() const { return {counters_.commits.load(), counters_.requests.load()}; }

void AccessLog::AppendAsync(const Principal& who, std::string at, std::string route, std::string remote_address,
                            std::vector<AccessRecord> records, std::optional<std::string> emergency_reason,
                            Done done) {
  if (records.empty()) {
    done(Status::Ok());
    return;
  }
  writer().Submit({who, std::move(at), std::move(route), std::move(remote_address), std::move(records),
                   std::move(emergency_reason), std::move(done)});
}

Status AccessLog::Append(const Principal& who, const std::string& at, const std::string& route,
                         const std::string& remote_address, const std::vector<AccessRecord>& records,
                         const std::optional<std::string>& emergency_reason) {
  if (records.empty()) return Status::Ok();
  // Shared with the callback: the writer thread may still be inside set_value when get() returns here.
  auto committed = std::make_shared<std::promise<Status>>();
  auto result = committed->get_future();
  AppendAsync(who, at, route, remote_address, records, emergency_reason,
              [committed](Status status) { committed->set_value(std::move(status)); });
  return result.get();
}

std::vector<AccessEntry> AccessLog::Find(const AccessQuery& query) {
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) throw store::StoreUnavailable(db.status().message());
  auto [from, to] = UtcBounds(query.from, query.to);
  // One statement per combination of filters rather than `(person_id = ?3 OR ?3 IS NULL)`, which neither
  // SQLite nor a generic plan on PostgreSQL can answer from the index by person or by user.
  static const auto kSql = [] {
    std::array<std::string, 4> sql;
    for (int v = 0; v < 4; ++v) {
      int p = 2;
      std::string where = "at >= ?1 AND at < ?2";
      if (v & 1) where += fmt::format(" AND person_id = ?{}", ++p);
      if (v & 2) where += fmt::format(" AND username = ?{}", ++p);
      sql[v] = fmt::format("SELECT {} FROM access_log WHERE {} ORDER BY id DESC LIMIT ?{}", kEntryColumns,
                           where, p + 1);
    }
    return sql;
  }();
  auto& st = (*db)->Prepare(kSql[(query.person_id ? 1 : 0) | (query.username ? 2 : 0)]);
  st.Bind(1, from).Bind(2, to);
  int p = 2;
  if (query.person_id) st.Bind(++p, *query.person_id);
  if (query.username) st.Bind(++p, *query.username);
  st.Bind(++p, query.limit);
  std::vector<AccessEntry> entries;
  while (st.Step()) entries.push_back(ReadEntry(st));
  return entries;
}

std::vector<AccessAnomaly> AccessLog::Anomalies(Date from, Date to, int64_t many_persons) {
  auto db = store::ThreadConnection::Get(db_path_);
  if (!db.ok()) throw store::StoreUnavailable(db.status().message());
  auto [lower, upper] = UtcBounds(from, to);
  std::vector<AccessAnomaly> anomalies;
  auto& rows = (*db)->Prepare(fmt::format(
      "SELECT {} FROM access_log WHERE at >= ?1 AND at < ?2 AND (emergency = 1 OR outside_unit = 1 OR "
      "protected_person = 1) ORDER BY id",
      kEntryColumns));
  rows.Bind(1, lower).Bind(2, upper);
  while (rows.Step()) {
    AccessEntry e = ReadEntry(rows);
    Date day = StockholmDay(e.at);
    if (e.emergency) anomalies.push_back({"emergency_access", e.username, e.unit, day, e, 0});
    else if (e.outside_unit) anomalies.push_back({"outside_unit", e.username, e.unit, day, e, 0});
    if (e.protected_person) anomalies.push_back({"protected_person", e.username, e.unit, day, e, 0});
  }
  // Distinct persons read per user and Stockholm day.
  std::map<std::pair<std::string, Date>, std::pair<std::string, std::set<int64_t>>> read;
  auto& reads = (*db)->Prepare(
      "SELECT username, unit, at, person_id FROM access_log WHERE at >= ?1 AND at < ?2 AND action = 'read' "
      "AND person_id IS NOT NULL");
  reads.Bind(1, lower).Bind(2, upper);
  while (reads.Step()) {
    auto& [unit, persons] = read[{reads.Text(0), StockholmDay(reads.Text(2))}];
    unit = reads.Text(1);
    persons.insert(reads.Int(3));
  }
  for (const auto& [key, value] : read) {
    if (static_cast<int64_t>(value.second.size()) > many_persons) {
      anomalies.push_back({"many_persons", key.first, value.first, key.second, std::nullopt,
                           static_cast<int64_t>(value.second.size())});
    }
  }
  return anomalies;
}

}  // namespace nysol::access
