// The access log: one row for every read or write of a person's data, written by the request pipeline after
// the handler has said what it touched. Append-only (a trigger refuses updates).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "access/user_directory.h"
#include "core/civil_date.h"
#include "store/db.h"

namespace nysol::access {

struct AccessRecord {
  std::string action;  // read | write
  std::optional<int64_t> person_id;
  std::optional<int64_t> matter_id;
  bool outside_unit = false;      // reached by emergency access; the request's reason is logged with it
  bool protected_person = false;  // the person has protected identity
};

struct AccessEntry {
  int64_t id = 0;
  std::string at;  // UTC
  std::string username;
  std::string unit;
  std::string action;
  std::string route;
  std::optional<int64_t> person_id;
  std::optional<int64_t> matter_id;
  std::string remote_address;
  bool emergency = false;
  std::optional<std::string> reason;
  bool outside_unit = false;
  bool protected_person = false;
};

// Which rows to review: by person or by user (or all), within [from, to] as Stockholm dates, newest first.
struct AccessQuery {
  std::optional<int64_t> person_id;
  std::optional<std::string> username;
  Date from;
  Date to;
  int limit = 500;
};

// What a reviewer should look at. Row anomalies point at one log row; "many_persons" counts the distinct
// persons one user read on one (Stockholm) day.
struct AccessAnomaly {
  std::string kind;  // emergency_access | outside_unit | protected_person | many_persons
  std::string username;
  std::string unit;
  Date day;
  std::optional<AccessEntry> entry;  // the row, for row anomalies
  int64_t persons = 0;               // for many_persons
};

// How the log's writer gathers requests into one transaction (AccessLog::AppendAsync). Not law: tuning.
struct GroupCommit {
  // Under load (the previous transaction held at least `gather_after` requests) the writer waits up to
  // `gather_for` for `gather_up_to` requests before it commits. Every commit costs an fsync and, on SQLite,
  // empties the page cache of every connection reading the store: at 64 connections the log committed 2,000
  // times a second with 3 to 4 requests each (docs/PERFORMANCE.md). A request that is alone is committed at
  // once.
  size_t gather_after = 4;
  size_t gather_up_to = 32;
  std::chrono::microseconds gather_for{2000};
};

// What the writer has committed since the log was made, for monitoring (GET /metrics).
struct CommitCounts {
  uint64_t commits = 0;   // transactions that committed
  uint64_t requests = 0;  // requests whose rows they held
};

class AccessLog {
 public:
  explicit AccessLog(std::string db_path, GroupCommit group_commit = {});
  // Waits for the rows already handed to AppendAsync to be committed.
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Appends all records of one request, all or none, and returns once they are durably committed (or could
  // not be). `emergency_reason` is set when the request used emergency access; it is logged with the records
  // that needed it.
  Status Append(const Principal& who, const std::string& at, const std::string& route,
                const std::string& remote_address, const std::vector<AccessRecord>& records,
                const std::optional<std::string>& emergency_reason = std::nullopt);

  // The same without waiting: `done` is called once the rows are durably committed (Ok) or cannot be
  // (kUnavailable), never before, on the log's writer thread, so it must be quick and must not throw. Group
  // commit: the rows of the requests that arrive while a commit is running (and, under load, while the writer
  // gathers: GroupCommit) are committed together in the next transaction, with one fsync between them; each
  // request's rows are still all or none (when one request's rows fail, the group is rolled back and every
  // request committed on its own).
  using Done = std::function<void(Status)>;
  void AppendAsync(const Principal& who, std::string at, std::string route, std::string remote_address,
                   std::vector<AccessRecord> records, std::optional<std::string> emergency_reason, Done done);

  // The same rows on a connection inside a transaction the caller owns (a write logs itself in its own
  // transaction). Throws store::StoreError.
  static void AppendRows(store::Db& db, const Principal& who, const std::string& at, const std::string& route,
                         const std::string& remote_address, const std::vector<AccessRecord>& records,
                         const std::optional<std::string>& emergency_reason);

  CommitCounts Committed() const;

  std::vector<AccessEntry> Find(const AccessQuery& query);
  // Anomalies between two Stockholm dates. A user reading more than `many_persons` distinct persons in a day
  // is one.
  std::vector<AccessAnomaly> Anomalies(Date from, Date to, int64_t many_persons);

 private:
  class Writer;
  struct Counters {
    std::atomic<uint64_t> commits = 0, requests = 0;  // written by the writer thread only
  };
  Writer& writer();
  std::string db_path_;
  GroupCommit group_commit_;
  Counters counters_;
  std::once_flag writer_started_;
  std::unique_ptr<Writer> writer_;  // started by the first append: a log only read never starts a thread
};

}  // namespace nysol::access
