// How a person's name is compared in a search: with its letters in lower case, so that "öberg" finds "Öberg"
// and "ÅSA" finds "Åsa" on both engines alike. Neither engine folds more than a–z by itself (SQLite's LIKE
// and lower(), and PostgreSQL's under the byte order "C" that our text columns use), so the projection keeps
// each name folded in persons.name_folded and a search folds its words the same way. The order of the names
// found is Swedish alphabetical order, kept in persons.name_order for the same reason.
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

// A key whose byte order is the Swedish alphabetical order of names (Svenska Akademiens ordlista): case
// ignored, Å, Ä and Ö last and in that order, Æ as Ä and Ø as Ö, Ü as Y, and the other accented letters of
// Latin-1 and Latin Extended-A as their base letter (É as E, Š as S, Ł as L). Both engines compare text byte
// by byte (SQLite's BINARY, PostgreSQL's "C"), so `ORDER BY` the key is the same on both.
std::string NameOrderKey(std::string_view name);

// SQL for either engine that turns `column`, which holds FoldName's result, into NameOrderKey's in every row
// of `table` (migration 17 fills the existing rows with it).
std::string NameOrderKeySql(std::string_view table, std::string_view column);

}  // namespace nysol::store
