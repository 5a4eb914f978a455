// JSON written straight into a string, for the answers asked for most: those that copy stored JSON through
// instead of parsing it and writing it again (a matter's timeline), and lists too frequent to build as a tree
// of nlohmann::json objects first (the unit's matters). The output is what nlohmann::json::dump() writes for
// the same value, when the members are written in dump()'s order (sorted by name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nysol::web {

// Appends `text` as a JSON string: quoted, with '"', '\\' and control characters escaped as dump() escapes
// them. `text` must be UTF-8, which every stored text is (input is validated as JSON, which is UTF-8).
void AppendJsonString(std::string& out, std::string_view text);

// Writes one value element by element: Object() … End(), Array() … End(), Key() before each member's value.
// The commas are the writer's; the caller keeps the nesting right.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter& Object();
  JsonWriter& Array();
  JsonWriter& End();
  JsonWriter& Key(std::string_view name);
  JsonWriter& String(std::string_view text);
  JsonWriter& String(const std::string& text) { return String(std::string_view(text)); }
  JsonWriter& String(const char* text) { return String(std::string_view(text)); }
  JsonWriter& String(const std::optional<std::string>& text);  // null when absent
  JsonWriter& Int(int64_t value);
  JsonWriter& Int(const std::optional<int64_t>& value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // A value already written as JSON (nlohmann::json::dump()'s, or stored JSON), as it is.
  JsonWriter& Raw(std::string_view json);
  // Key(name) and the value: one member.
  JsonWriter& Member(std::string_view name, std::string_view text) { return Key(name).String(text); }
  JsonWriter& Member(std::string_view name, const std::string& text) { return Key(name).String(text); }
  JsonWriter& Member(std::string_view name, const char* text) { return Key(name).String(text); }
  JsonWriter& Member(std::string_view name, const std::optional<std::string>& text) {
    return Key(name).String(text);
  }
  JsonWriter& Member(std::string_view name, int64_t value) { return Key(name).Int(value); }
  JsonWriter& Member(std::string_view name, int value) { return Key(name).Int(value); }
  JsonWriter& Member(std::string_view name, const std::optional<int64_t>& value) {
    return Key(name).Int(value);
  }
  JsonWriter& Member(std::string_view name, bool value) { return Key(name).Bool(value); }

 private:
  void Element();  // a comma unless first in its object or array, or the value of a key
  JsonWriter& Open(char opener, char closer);  // an object or array, closed by End()
  std::string& out_;
  std::vector<char> closers_;
  bool first_ = true;
};

}  // namespace nysol::web
