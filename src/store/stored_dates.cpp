#include "store/stored_dates.h"

#include <fmt/format.h>

namespace nysol::store {

std::optional<Date> OptDate(const Statement& st, int col) {
  auto text = st.OptText(col);
  if (!text) return std::nullopt;
  auto date = ParseDate(*text);
  if (!date.ok()) throw StoreError(fmt::format("stored date '{}' is not a date", *text));
  return *date;
}

Date ReqDate(const Statement& st, int col) {
  auto date = OptDate(st, col);
  if (!date) throw StoreError("a required stored date is NULL");
  return *date;
}

}  // namespace nysol::store
