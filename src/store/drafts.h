// Drafts: text being written in the web interface, saved while it is typed (migration 6) so that a closed tab,
// a lost connection or a crash loses nothing. One user's working material, not the record: never journaled,
// removed when the text is saved for real, and with the matter by gallring.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace nysol::store {

class Drafts {
 public:
  explicit Drafts(std::string db_path) : db_path_(std::move(db_path)) {}

  // Saves `text` under `key` for the user, replacing what was there; empty text removes the draft.
  Status Save(int64_t user_id, std::string_view key, std::optional<int64_t> matter_id, std::string_view text,
              std::string_view saved_at);
  // The user's drafts whose keys start with `prefix`, by key.
  Result<std::map<std::string, std::string>> WithPrefix(int64_t user_id, std::string_view prefix);
  // Removes the user's drafts whose keys start with `prefix`.
  Status Remove(int64_t user_id, std::string_view prefix);

 private:
  std::string db_path_;
};

}  // namespace nysol::store
