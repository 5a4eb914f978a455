// Swedish personal identity numbers (personnummer, folkbokföringslagen 18 §) and coordination numbers
// (samordningsnummer, 18 a §): YYMMDD or YYYYMMDD, an optional separator ('-', or '+' from the year the
// person turns 100), a three-digit birth number and a Luhn check digit. Stored as 12 digits.
#pragma once

#include <string>
#include <string_view>

#include "core/civil_date.h"
#include "core/status.h"

namespace nysol {

enum class IdentityKind { kPersonnummer, kSamordningsnummer };
enum class LegalSex { kFemale, kMale };

std::string_view IdentityKindName(IdentityKind kind);  // "personnummer" | "samordningsnummer"
std::string_view LegalSexName(LegalSex sex);           // "female" | "male"

struct IdentityNumber {
  std::string digits;  // always 12 digits, YYYYMMDDNNNC, day + 60 kept for samordningsnummer
  IdentityKind kind = IdentityKind::kPersonnummer;
  LegalSex sex = LegalSex::kFemale;  // from the ninth digit: odd male, even female
  Date birth_date;                   // the real date (day - 60 for samordningsnummer)

  std::string Long() const;       // "YYYYMMDD-NNNC"
  int AgeOn(Date on) const;       // whole years
  friend bool operator==(const IdentityNumber&, const IdentityNumber&) = default;
};

// Parses and validates `text`. `today` decides the century of 10-digit input (the most recent century that
// does not put the birth date after `today`, minus 100 years with '+') and rejects birth dates after it.
// Fails with kInvalidIdentityNumber and a precise English message (format, date, birth number 000, check digit).
Result<IdentityNumber> ParseIdentityNumber(std::string_view text, Date today);

// The Luhn check digit over the given digits (weights 2,1,2,… from the left), as Skatteverket computes it.
int LuhnCheckDigit(std::string_view nine_digits);

}  // namespace nysol
