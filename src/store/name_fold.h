// How a person's name is compared in a search: with its letters in lower case, so that "öberg" finds "Öberg"
// and "ÅSA" finds "Åsa" on both engines alike. Neither engine folds more than a–z by itself (SQLite's LIKE
// and lower(), and PostgreSQL's under the byte order "C" that our text columns use), so the projection keeps
// each name folded in persons.name_folded and a search folds its words the same way.
#pragma once

#include <string>
#include <string_view>

namespace nysol::store {

// `text` with A–Z and the capital letters of Latin-1 and Latin Extended-A (Å, Ä, Ö, É, Ø, Ł, Š, Ž, …) in
// lower case; every other byte as it is.
std::string FoldName(std::string_view text);

// SQL for either engine that folds `column` of every row of `table` in place as FoldName does (migration 14
// fills the existing rows with it).
std::string FoldNameSql(std::string_view table, std::string_view column);

}  // namespace nysol::store
