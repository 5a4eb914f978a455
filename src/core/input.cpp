#include "core/input.h"

#include <fmt/format.h>

namespace nysol {
namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

Status Missing(std::string_view name) {
  return Error(ErrorCode::kInvalidInput, fmt::format("field '{}' is required", name));
}

Status WrongType(std::string_view name, std::string_view expected) {
  return Error(ErrorCode::kInvalidInput, fmt::format("field '{}' must be {}", name, expected));
}

}  // namespace

Status Input::Expect(std::initializer_list<std::string_view> allowed) const {
  if (!body_.is_object()) return Error(ErrorCode::kMalformedJson, "the request body must be a JSON object");
  for (const auto& [key, value] : body_.items()) {
    bool known = false;
    for (auto name : allowed) known = known || key == name;
    if (!known) {
      std::string names;
      for (auto name : allowed) names += fmt::format("{}{}", names.empty() ? "" : ", ", name);
      return Error(ErrorCode::kInvalidInput, fmt::format("unknown field '{}' (expected: {})", key, names));
    }
  }
  return Status::Ok();
}

const nlohmann::json* Input::Find(std::string_view name) const {
  if (!body_.is_object()) return nullptr;
  auto it = body_.find(std::string(name));
  if (it == body_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool Input::Has(std::string_view name) const { return Find(name) != nullptr; }

Result<std::optional<std::string>> Input::OptionalString(std::string_view name, size_t max_length) const {
  const auto* value = Find(name);
  if (!value) return std::optional<std::string>();
  if (!value->is_string()) return WrongType(name, "a string");
  std::string text = Trim(value->get<std::string>());
  if (text.size() > max_length) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("field '{}' is {} bytes long; at most {} are allowed", name, text.size(), max_length));
  }
  if (text.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(text));
}

Result<std::string> Input::String(std::string_view name, size_t max_length) const {
  NYSOL_ASSIGN_OR_RETURN(auto text, OptionalString(name, max_length));
  if (!text) return Missing(name);
  return *text;
}

Result<std::optional<Date>> Input::OptionalDate(std::string_view name) const {
  const auto* value = Find(name);
  if (!value) return std::optional<Date>();
  if (!value->is_string()) return WrongType(name, "a date YYYY-MM-DD");
  auto date = ParseDate(value->get<std::string>());
  if (!date.ok()) return Error(ErrorCode::kInvalidDate, fmt::format("field '{}': {}", name, date.status().message()));
  return std::optional<Date>(*date);
}

Result<Date> Input::DateField(std::string_view name) const {
  NYSOL_ASSIGN_OR_RETURN(auto date, OptionalDate(name));
  if (!date) return Missing(name);
  return *date;
}

Result<LocalDateTime> Input::DateTime(std::string_view name) const {
  const auto* value = Find(name);
  if (!value) return Missing(name);
  if (!value->is_string()) return WrongType(name, "a date and time YYYY-MM-DDTHH:MM");
  auto time = ParseLocalDateTime(value->get<std::string>());
  if (!time.ok()) return Error(ErrorCode::kInvalidDate, fmt::format("field '{}': {}", name, time.status().message()));
  return *time;
}

Result<bool> Input::Bool(std::string_view name) const {
  const auto* value = Find(name);
  if (!value) return Missing(name);
  if (!value->is_boolean()) return WrongType(name, "true or false");
  return value->get<bool>();
}

Result<std::optional<int64_t>> Input::OptionalInt(std::string_view name, int64_t min, int64_t max) const {
  const auto* value = Find(name);
  if (!value) return std::optional<int64_t>();
  if (!value->is_number_integer()) return WrongType(name, "a whole number");
  int64_t number = value->get<int64_t>();
  if (number < min || number > max) {
    return Error(ErrorCode::kInvalidInput, fmt::format("field '{}' must be between {} and {}", name, min, max));
  }
  return std::optional<int64_t>(number);
}

Result<int64_t> Input::Int(std::string_view name, int64_t min, int64_t max) const {
  NYSOL_ASSIGN_OR_RETURN(auto number, OptionalInt(name, min, max));
  if (!number) return Missing(name);
  return *number;
}

}  // namespace nysol
