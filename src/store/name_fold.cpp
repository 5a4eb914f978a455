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

// The two-byte letters NameOrderKey replaces, small after FoldName, with what each sorts as. Å, Ä and Ö
// become the three bytes after z ('{', '|', '}'), which names do not hold.
const std::vector<std::pair<char32_t, std::string>>& OrderedLetters() {
  static const std::vector<std::pair<char32_t, std::string>> letters = [] {
    std::vector<std::pair<char32_t, std::string>> keys = {{0xDF, "ss"}};  // ß
    // à á â ã ä å æ ç è é ê ë ì í î ï ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ, one key each; ÷ stays as it is.
    constexpr std::string_view latin1 = "aaaa|{|ceeeeiiiidnoooo}-}uuuyyty";
    static_assert(latin1.size() == 0x20);
    for (char32_t c = 0xE0; c <= 0xFF; ++c) {
      if (c != 0xF7) keys.emplace_back(c, std::string(1, latin1[c - 0xE0]));
    }
    // Ā … ſ, capitals and small letters alike (FoldName leaves İ a capital), 64 to a line: Ā … Ŀ, then ŀ … ſ.
    // ő and ű, the Hungarian ö and ü, sort as Ö and Y.
    constexpr std::string_view extended_a =
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
        "lllnnnnnnnnnoooo}}oorrrrrrssssssssttttttuuuuuuuuyyuuwwyyyzzzzzzs";
    static_assert(extended_a.size() == 0x80);
    for (char32_t c = 0x100; c <= 0x17F; ++c) keys.emplace_back(c, std::string(1, extended_a[c - 0x100]));
    return keys;
  }();
  return letters;
}

// The SQL that replaces, in `column` of every row of `table`, each UTF-8 letter by its pair: replace() for
// each, because neither engine's lower() is sure to fold exactly A–Z (PostgreSQL's folds more under a UTF-8
// collation). Some letters per statement: SQLite's parser takes about a hundred nested calls at most.
std::string ReplaceLettersSql(std::string_view table, std::string_view column,
                              const std::vector<std::pair<std::string, std::string>>& letters) {
  constexpr size_t kLettersPerStatement = 24;
  std::string sql;
  for (size_t first = 0; first < letters.size(); first += kLettersPerStatement) {
    std::string replaced(column);
    for (size_t i = first; i < std::min(letters.size(), first + kLettersPerStatement); ++i) {
      replaced = fmt::format("replace({}, '{}', '{}')", replaced, letters[i].first, letters[i].second);
    }
    sql += fmt::format("UPDATE {} SET {} = {};\n", table, column, replaced);
  }
  return sql;
}

// Calls `each` with the bytes of every character of UTF-8 `text` that is two bytes long and its code point,
// and with every other byte alone and 0 (ASCII, or not part of a two-byte character).
template <typename Each>
void ForEachCharacter(std::string_view text, Each each) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xE0) == 0xC0 && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      each(text.substr(i, 2),
           (static_cast<char32_t>(byte & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F));
      ++i;
    } else {
      each(text.substr(i, 1), char32_t{0});
    }
  }
}

}  // namespace

std::string FoldName(std::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  ForEachCharacter(text, [&](std::string_view bytes, char32_t c) {
    if (bytes.size() == 1 && bytes[0] >= 'A' && bytes[0] <= 'Z') {
      folded += static_cast<char>(bytes[0] - 'A' + 'a');
    } else if (char32_t small = c ? SmallLetter(c) : 0; small != c) {
      folded += Utf8(small);
    } else {
      folded += bytes;
    }
  });
  return folded;
}

std::string FoldNameSql(std::string_view table, std::string_view column) {
  std::vector<std::pair<std::string, std::string>> letters;
  for (const auto& [capital, small] : FoldedLetters()) letters.emplace_back(Utf8(capital), Utf8(small));
  return ReplaceLettersSql(table, column, letters);
}

std::string NameOrderKey(std::string_view name) {
  std::string key;
  std::string folded = FoldName(name);
  key.reserve(folded.size());
  ForEachCharacter(folded, [&](std::string_view bytes, char32_t c) {
    const auto& letters = OrderedLetters();
    auto letter =
        std::find_if(letters.begin(), letters.end(), [c](const auto& l) { return c && l.first == c; });
    key += letter == letters.end() ? std::string(bytes) : letter->second;
  });
  return key;
}

std::string NameOrderKeySql(std::string_view table, std::string_view column) {
  std::vector<std::pair<std::string, std::string>> letters;
  for (const auto& [letter, key] : OrderedLetters()) letters.emplace_back(Utf8(letter), key);
  return ReplaceLettersSql(table, column, letters);
}

}  // namespace nysol::store
