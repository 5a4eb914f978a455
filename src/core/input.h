// Reads and validates command input (a JSON object from the API, the CLI or the demo generator). Every
// failure names the field and says what is wrong; unknown fields are refused so typos are never ignored.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/status.h"

namespace nysol {

class Input {
 public:
  explicit Input(const nlohmann::json& body) : body_(body) {}

  // Fails unless the body is an object whose keys are all in `allowed`.
  Status Expect(std::initializer_list<std::string_view> allowed) const;

  bool Has(std::string_view name) const;
  // Text is trimmed; empty text counts as missing. `max_length` is in bytes.
  Result<std::string> String(std::string_view name, size_t max_length = 200) const;
  Result<std::optional<std::string>> OptionalString(std::string_view name, size_t max_length = 200) const;
  Result<Date> DateField(std::string_view name) const;
  Result<std::optional<Date>> OptionalDate(std::string_view name) const;
  Result<LocalDateTime> DateTime(std::string_view name) const;
  Result<bool> Bool(std::string_view name) const;
  Result<int64_t> Int(std::string_view name, int64_t min, int64_t max) const;
  Result<std::optional<int64_t>> OptionalInt(std::string_view name, int64_t min, int64_t max) const;

 private:
  const nlohmann::json* Find(std::string_view name) const;
  const nlohmann::json& body_;
};

}  // namespace nysol

#define NYSOL_CONCAT_INNER(a, b) a##b
#define NYSOL_CONCAT(a, b) NYSOL_CONCAT_INNER(a, b)
// `NYSOL_ASSIGN_OR_RETURN(auto x, F())`: unwraps a Result or returns its Status from the enclosing function.
#define NYSOL_ASSIGN_OR_RETURN(lhs, expr) NYSOL_ASSIGN_OR_RETURN_IMPL(NYSOL_CONCAT(nysol_result_, __LINE__), lhs, expr)
#define NYSOL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
