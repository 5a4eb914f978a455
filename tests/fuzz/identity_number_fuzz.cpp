// libFuzzer target for ParseIdentityNumber. Checks that no input crashes the parser and that every accepted
// number is self-consistent: its stored 12 digits (and its long form) parse back to the same value.
// Built separately with clang: -fsanitize=fuzzer,address,undefined.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/identity_number.h"

namespace {

// Fixed so that runs are reproducible; any date works.
constexpr nysol::Date kToday{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}};

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = nysol::ParseIdentityNumber(text, kToday);
  if (!result.ok()) {
    Check(result.status().code() == nysol::ErrorCode::kInvalidIdentityNumber);
    Check(!result.status().message().empty());
    return 0;
  }
  const nysol::IdentityNumber& number = *result;
  Check(number.digits.size() == 12);
  Check(number.birth_date.ok());
  Check(number.birth_date <= kToday);
  Check(number.AgeOn(kToday) >= 0);

  auto again = nysol::ParseIdentityNumber(number.digits, kToday);
  Check(again.ok());
  Check(*again == number);

  auto from_long = nysol::ParseIdentityNumber(number.Long(), kToday);
  Check(from_long.ok());
  Check(*from_long == number);
  return 0;
}
