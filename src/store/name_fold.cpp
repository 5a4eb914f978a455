#include "store/name_fold.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace nysol::store {
namespace {

// The capital letters folded, with their small letters: A–Z, Latin-1's À–Þ (not ×), and Latin Extended-A's
// pairs (Ā/ā … Ž/ž, Ÿ/ÿ), the letters of the names of most of Europe. İ and ı are left out: their case pairs
// are the ASCII i and I, which would make the fold depend on the language.
const std::vector<std::pair<char32_t, char32_t>>& FoldedLetters() {
  static const std::vector<std::pair<char32_t, char32_t>> letters = [] {
    std::vector<std::pair<char32_t, char32_t>> pairs;
    for (char32_t c = 'A'; c <= 'Z'; ++c) pairs.emplace_back(c, c + ('a' - 'A'));
    for (char32_t c = 0xC0; c <= 0xDE; ++c) {
      if (c != 0xD7) pairs.emplace_back(c, c + 0x20);
    }
    auto add_pairs = [&](char32_t first, char32_t last) {
      for (char32_t c = first; c < last; c += 2) pairs.emplace_back(c, c + 1);
    };
    add_pairs(0x100, 0x130);          // Ā … Į
    add_pairs(0x132, 0x138);          // Ĳ … Ķ
    add_pairs(0x139, 0x149);          // Ĺ … Ň
    add_pairs(0x14A, 0x178);          // Ŋ … Ŷ
    pairs.emplace_back(0x178, 0xFF);  // Ÿ
    add_pairs(0x179, 0x17F);          // Ź … Ž
    return pairs;
  }();
  return letters;
}

// Every letter above is one byte in UTF-8 (A–Z) or two.
std::string Utf8(char32_t c) {
  if (c < 0x80) return std::string(1, static_cast<char>(c));
  return {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
}

char32_t SmallLetter(char32_t c) {
  for (const auto& [capital, small] : FoldedLetters()) {
    if (capital == c) return small;
  }
  return c;
}

}  // namespace

std::string FoldName(std::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 'A' && byte <= 'Z') {
      folded += static_cast<char>(byte - 'A' + 'a');
    } else if ((byte & 0xE0) == 0xC0 && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      char32_t c =
          (static_cast<char32_t>(byte & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      char32_t small = SmallLetter(c);
      folded += small == c ? std::string(text.substr(i, 2)) : Utf8(small);
      ++i;
    } else {
      folded += text[i];
    }
  }
  return folded;
}

std::string FoldNameSql(std::string_view table, std::string_view column) {
  // replace() for each letter, because neither engine's lower() is sure to fold exactly A–Z (PostgreSQL's
  // folds more under a UTF-8 collation). Some letters per statement: SQLite's parser takes about a hundred
  // nested calls at most.
  constexpr size_t kLettersPerStatement = 24;
  const auto& letters = FoldedLetters();
  std::string sql;
  for (size_t first = 0; first < letters.size(); first += kLettersPerStatement) {
    std::string folded(column);
    for (size_t i = first; i < std::min(letters.size(), first + kLettersPerStatement); ++i) {
      folded =
          fmt::format("replace({}, '{}', '{}')", folded, Utf8(letters[i].first), Utf8(letters[i].second));
    }
    sql += fmt::format("UPDATE {} SET {} = {};\n", table, column, folded);
  }
  return sql;
}

}  // namespace nysol::store
