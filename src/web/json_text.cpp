#include "web/json_text.h"

#include <cstdio>

namespace nysol::web {

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t plain = 0;  // start of the run of characters copied as they are
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out += escaped;
      }
    }
  }
  out.append(text, plain, text.size() - plain);
  out += '"';
}

void JsonWriter::Element() {
  if (!first_) out_ += ',';
  first_ = false;
}

JsonWriter& JsonWriter::Open(char opener, char closer) {
  Element();
  out_ += opener;
  closers_.push_back(closer);
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::Object() { return Open('{', '}'); }

JsonWriter& JsonWriter::Array() { return Open('[', ']'); }

JsonWriter& JsonWriter::End() {
  out_ += closers_.back();
  closers_.pop_back();
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view name) {
  Element();
  AppendJsonString(out_, name);
  out_ += ':';
  first_ = true;  // the value follows without a comma
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  Element();
  AppendJsonString(out_, text);
  return *this;
}

JsonWriter& JsonWriter::String(const std::optional<std::string>& text) {
  return text ? String(std::string_view(*text)) : Null();
}

JsonWriter& JsonWriter::Int(int64_t value) {
  Element();
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::Int(const std::optional<int64_t>& value) { return value ? Int(*value) : Null(); }

JsonWriter& JsonWriter::Bool(bool value) {
  Element();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() { return Raw("null"); }

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Element();
  out_ += json;
  return *this;
}

}  // namespace nysol::web
