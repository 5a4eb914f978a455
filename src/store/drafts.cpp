#include "store/drafts.h"

#include "store/db.h"

namespace nysol::store {
namespace {

// Keys are plain ("matter/17/note"), so a prefix match is a range: [prefix, prefix + U+10FFFF).
std::string PrefixEnd(std::string_view prefix) { return std::string(prefix) + "\xf4\x8f\xbf\xbf"; }

}  // namespace

Status Drafts::Save(int64_t user_id, std::string_view key, std::optional<int64_t> matter_id, std::string_view text,
                    std::string_view saved_at) {
  auto db = ThreadConnection::Get(db_path_);
  if (!db.ok()) return db.status();
  if (text.empty()) {
    (*db)->Prepare("DELETE FROM drafts WHERE user_id = ?1 AND key = ?2").Bind(1, user_id).Bind(2, key).Run();
    return Status::Ok();
  }
  (*db)->Prepare(
           "INSERT INTO drafts (user_id, key, matter_id, text, saved_at) VALUES (?1, ?2, ?3, ?4, ?5) "
           "ON CONFLICT (user_id, key) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at, "
           "matter_id = excluded.matter_id")
      .Bind(1, user_id)
      .Bind(2, key)
      .Bind(3, matter_id)
      .Bind(4, text)
      .Bind(5, saved_at)
      .Run();
  return Status::Ok();
}

Result<std::map<std::string, std::string>> Drafts::WithPrefix(int64_t user_id, std::string_view prefix) {
  auto db = ThreadConnection::Get(db_path_);
  if (!db.ok()) return db.status();
  auto& st = (*db)->Prepare("SELECT key, text FROM drafts WHERE user_id = ?1 AND key >= ?2 AND key < ?3");
  st.Bind(1, user_id).Bind(2, prefix).Bind(3, PrefixEnd(prefix));
  std::map<std::string, std::string> drafts;
  while (st.Step()) drafts.emplace(st.Text(0), st.Text(1));
  st.Reset();
  return drafts;
}

Status Drafts::Remove(int64_t user_id, std::string_view prefix) {
  auto db = ThreadConnection::Get(db_path_);
  if (!db.ok()) return db.status();
  (*db)->Prepare("DELETE FROM drafts WHERE user_id = ?1 AND key >= ?2 AND key < ?3")
      .Bind(1, user_id)
      .Bind(2, prefix)
      .Bind(3, PrefixEnd(prefix))
      .Run();
  return Status::Ok();
}

}  // namespace nysol::store
