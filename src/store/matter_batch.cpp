#include "store/matter_batch.h"
#include "store/stored_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <cstdint>
#include <unordered_map>

namespace nysol::store {
namespace {

// Ids go into a fixed number of placeholders, "IN (?1, …, ?N)", the unused ones bound to NULL (which matches
// nothing): a few constant statements serve every list length, and the values are bound, never in the text.
constexpr std::array<int, 3> kChunkSizes = {1, 8, 32};

std::string InList(int size) {
  std::string list = "(";
  for (int i = 1; i <= size; ++i) list += fmt::format("{}?{}", i > 1 ? ", " : "", i);
  return list + ")";
}

// Calls `each(chunk_size, first, last)` for slices of `ids` no longer than the largest chunk.
template <typename Each>
void ForChunks(const std::vector<int64_t>& ids, Each each) {
  size_t at = 0;
  while (at < ids.size()) {
    size_t left = ids.size() - at;
    int size = kChunkSizes.back();
    for (int s : kChunkSizes) {
      if (static_cast<size_t>(s) >= left) {
        size = s;
        break;
      }
    }
    size_t last = std::min(ids.size(), at + static_cast<size_t>(size));
    each(size, at, last);
    at = last;
  }
}

// One statement, "head IN (?1, …, ?N) tail", in each chunk size.
class InListSql {
 public:
  InListSql(std::string_view head, std::string_view tail) {
    for (size_t i = 0; i < kChunkSizes.size(); ++i) texts_[i] = fmt::format("{}{}{}", head, InList(kChunkSizes[i]), tail);
  }
  // The statement for a chunk of `size`, with ids [first, last) bound.
  Statement& Bind(Db& db, int size, const std::vector<int64_t>& ids, size_t first, size_t last) const {
    size_t which = 0;
    while (kChunkSizes[which] != size) ++which;
    auto& st = db.Prepare(texts_[which]);
    for (int i = 0; i < size; ++i) {
      size_t at = first + static_cast<size_t>(i);
      if (at < last) {
        st.Bind(i + 1, ids[at]);
      } else {
        st.BindNull(i + 1);
      }
    }
    return st;
  }

 private:
  std::array<std::string, kChunkSizes.size()> texts_;
};

constexpr std::string_view kMatters =
    "SELECT id, kind, person_id, unit, phase, received_on, preliminary_due, preliminary_extended, "
    "preliminary_decided_on, investigation_started_on, investigation_due, investigation_extensions, "
    "investigation_notified_on, investigation_completed_on, closed_on, assigned_to FROM matters WHERE id IN ";
constexpr std::string_view kReports =
    "SELECT s.matter_id, s.report_id, r.received_at, s.disposition, s.protection_assessed_at IS NOT NULL "
    "FROM report_subjects s JOIN reports r ON r.id = s.report_id WHERE s.matter_id IN ";
constexpr std::string_view kReportsOrder = " ORDER BY s.matter_id, s.report_id";
constexpr std::string_view kDecisions =
    "SELECT matter_id, id, outcome, intervention, appealable, decided_on, served_on, appeal_due FROM decisions "
    "WHERE matter_id IN ";
constexpr std::string_view kInterventions =
    "SELECT matter_id, id, decision_id, intervention, started_on, ended_on FROM interventions WHERE matter_id IN ";
constexpr std::string_view kNotes = "SELECT matter_id, id FROM notes WHERE matter_id IN ";
constexpr std::string_view kByMatterAndId = " ORDER BY matter_id, id";
constexpr std::string_view kPersons =
    "SELECT id, identity_number, identity_kind, name, birth_date, birth_year, sex, address, protected_identity "
    "FROM persons WHERE id IN ";
constexpr std::string_view kNoTail = "";

const InListSql& MattersSql() {
  static const InListSql sql(kMatters, kNoTail);
  return sql;
}
const InListSql& ReportsSql() {
  static const InListSql sql(kReports, kReportsOrder);
  return sql;
}
const InListSql& DecisionsSql() {
  static const InListSql sql(kDecisions, kByMatterAndId);
  return sql;
}
const InListSql& InterventionsSql() {
  static const InListSql sql(kInterventions, kByMatterAndId);
  return sql;
}
const InListSql& NotesSql() {
  static const InListSql sql(kNotes, kByMatterAndId);
  return sql;
}
const InListSql& PersonsSql() {
  static const InListSql sql(kPersons, kNoTail);
  return sql;
}

}  // namespace

std::vector<MatterState> LoadMatterStates(Db& db, const std::vector<int64_t>& ids) {
  std::vector<MatterState> matters;
  std::unordered_map<int64_t, size_t> index;  // matter id -> position in `matters`
  std::vector<int64_t> distinct;
  for (int64_t id : ids) {
    if (index.emplace(id, SIZE_MAX).second) distinct.push_back(id);
  }
  // The follow-ups are asked by the ids asked for, not the ids found, so that all five statements go
  // together: one round trip on PostgreSQL. A follow-up row of a matter not found (removed meanwhile) is left
  // out.
  auto of = [&](int64_t matter_id) -> MatterState* {
    auto it = index.find(matter_id);
    return it == index.end() || it->second == SIZE_MAX ? nullptr : &matters[it->second];
  };
  ForChunks(distinct, [&](int size, size_t first, size_t last) {
    auto& st = MattersSql().Bind(db, size, distinct, first, last);
    auto& reports = ReportsSql().Bind(db, size, distinct, first, last);
    auto& decisions = DecisionsSql().Bind(db, size, distinct, first, last);
    auto& interventions = InterventionsSql().Bind(db, size, distinct, first, last);
    auto& notes = NotesSql().Bind(db, size, distinct, first, last);
    Statement* together[] = {&st, &reports, &decisions, &interventions, &notes};
    db.RunTogether(together);
    while (st.Step()) {
      MatterState m;
      m.id = st.Int(0);
      if (!ParseMatterKind(st.Text(1), &m.kind)) throw StoreError("stored matter kind is unknown");
      m.person_id = st.Int(2);
      m.unit = st.Text(3);
      if (!ParseMatterPhase(st.Text(4), &m.phase)) throw StoreError("stored matter phase is unknown");
      m.received_on = ReqDate(st, 5);
      m.preliminary_due = OptDate(st, 6);
      m.preliminary_extended = st.Int(7) != 0;
      m.preliminary_decided_on = OptDate(st, 8);
      m.investigation_started_on = OptDate(st, 9);
      m.investigation_due = OptDate(st, 10);
      m.investigation_extensions = static_cast<int>(st.Int(11));
      m.investigation_notified_on = OptDate(st, 12);
      m.investigation_completed_on = OptDate(st, 13);
      m.closed_on = OptDate(st, 14);
      m.assigned_to = st.OptText(15);
      index[m.id] = matters.size();
      matters.push_back(std::move(m));
    }
    st.Reset();
    while (reports.Step()) {
      auto received = ParseLocalDateTime(reports.Text(2));
      if (!received.ok()) throw StoreError("stored report time is not a date and time");
      if (auto* m = of(reports.Int(0))) {
        m->reports.push_back({reports.Int(1), *received, reports.Text(3), reports.Int(4) != 0});
      }
    }
    reports.Reset();
    while (decisions.Step()) {
      if (auto* m = of(decisions.Int(0))) {
        m->decisions.push_back({decisions.Int(1), decisions.Text(2), decisions.Text(3), decisions.Int(4) != 0,
                                ReqDate(decisions, 5), OptDate(decisions, 6), OptDate(decisions, 7)});
      }
    }
    decisions.Reset();
    while (interventions.Step()) {
      if (auto* m = of(interventions.Int(0))) {
        m->interventions.push_back({interventions.Int(1), interventions.Int(2), interventions.Text(3),
                                    ReqDate(interventions, 4), OptDate(interventions, 5)});
      }
    }
    interventions.Reset();
    while (notes.Step()) {
      if (auto* m = of(notes.Int(0))) m->note_ids.push_back(notes.Int(1));
    }
    notes.Reset();
  });
  // In the order asked for, each once.
  std::vector<MatterState> ordered;
  ordered.reserve(matters.size());
  for (int64_t id : distinct) {
    if (auto* m = of(id)) ordered.push_back(std::move(*m));
  }
  return ordered;
}

std::map<int64_t, PersonRow> LoadPersons(Db& db, const std::vector<int64_t>& ids) {
  std::map<int64_t, PersonRow> persons;
  ForChunks(ids, [&](int size, size_t first, size_t last) {
    auto& st = PersonsSql().Bind(db, size, ids, first, last);
    while (st.Step()) {
      PersonRow p = ReadPerson(st);
      persons.emplace(p.id, std::move(p));
    }
    st.Reset();
  });
  return persons;
}

}  // namespace nysol::store
