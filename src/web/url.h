// Request-target parsing: path and query split and percent-decoded. Outside input: strict, never throws.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace nysol::web {

// Splits a raw target ("/a%20b?x=1&y") into path and query and percent-decodes both ('+' is a space in the
// query). Returns false on a malformed escape, a NUL byte or a target that does not start with '/'.
bool ParseTarget(std::string_view target, std::string* path, std::multimap<std::string, std::string>* query);

// Parses an application/x-www-form-urlencoded body ("a=1&b=x+y") the same way as a query. False on a
// malformed escape or a NUL byte.
bool ParseForm(std::string_view body, std::multimap<std::string, std::string>* fields);

}  // namespace nysol::web
