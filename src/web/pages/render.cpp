#include "web/pages/render.h"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <map>
#include <stdexcept>

#include "web/api_error.h"
#include "web/authenticator.h"
#include "web/pages/assets.h"
#include "web/pages/swedish.h"

namespace nysol::web::pages {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;
using nlohmann::json;

data ToData(const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      data object{data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, ToData(item));
      return object;
    }
    case json::value_t::array: {
      data list{data::type::list};
      for (const auto& item : value) list.push_back(ToData(item));
      return list;
    }
    case json::value_t::string: return data(value.get<std::string>());
    case json::value_t::boolean: return data(value.get<bool>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return data(value.dump());
    default: return data(false);  // null: a section over it is skipped, an inverted one shown
  }
}

std::string_view TemplateText(std::string_view name) {
  auto text = FindAsset(fmt::format("{}.mustache", name));
  if (!text) throw std::logic_error(fmt::format("there is no template '{}'", name));
  return *text;
}

// Parsed templates, per thread: a kainjow template keeps state while it renders, so it is not shared.
mustache& Parsed(std::string_view name) {
  thread_local std::map<std::string, mustache, std::less<>> parsed;
  auto it = parsed.find(name);
  if (it == parsed.end()) {
    mustache tmpl{std::string(TemplateText(name))};
    if (!tmpl.is_valid()) {
      throw std::logic_error(fmt::format("template '{}' does not parse: {}", name, tmpl.error_message()));
    }
    it = parsed.emplace(std::string(name), std::move(tmpl)).first;
  }
  return it->second;
}

HttpResponse Html(int status, std::string body) {
  return TextResponse(status, "text/html; charset=utf-8", std::move(body));
}

constexpr const char* kPartials[] = {"_clock", "_step_form", "_identity_hint", "_field", "_kpi_table"};

}  // namespace

HttpResponse TextResponse(int status, std::string_view content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::string(content_type);
  response.body = std::move(body);
  return response;
}

std::string RenderTemplate(std::string_view name, const json& view) {
  data root = ToData(view);
  for (const char* partial : kPartials) {
    std::string text(TemplateText(partial));
    root.set(partial, data(kainjow::mustache::partial([text] { return text; })));
  }
  mustache& tmpl = Parsed(name);
  std::string out = tmpl.render(root);
  if (!tmpl.is_valid()) throw std::logic_error(fmt::format("template '{}': {}", name, tmpl.error_message()));
  return out;
}

json ErrorView(const Status& status, bool in_swedish) {
  if (in_swedish) return {{"message", status.message()}, {"detail", nullptr}};
  return {{"message", ErrorSv(status.code())}, {"detail", status.message()}};
}

std::string FormValue(const std::multimap<std::string, std::string>& form, const std::string& key) {
  auto it = form.find(key);
  return it == form.end() ? std::string() : it->second;
}

std::string CsrfToken(const RequestContext& ctx) {
  return ctx.authentication ? ctx.authentication->csrf_token : std::string();
}

HttpResponse Page(const RequestContext& ctx, int status, std::string_view title, std::string_view name, json view) {
  const access::Principal& who = *ctx.principal;
  bool handles_cases = access::Allows(who.role, access::Permission::kReadCases);
  json layout = {{"title", title},
                 {"csrf", CsrfToken(ctx)},
                 {"user", {{"name", who.display_name}, {"role", RoleSv(who.role)}, {"unit", who.unit}}},
                 {"handles_cases", handles_cases},
                 {"first_line", access::Allows(who.role, access::Permission::kRecordFirstLine)},
                 {"follow_up", access::Allows(who.role, access::Permission::kReadFollowUp)},
                 {"body", RenderTemplate(name, view)}};
  return Html(status, RenderTemplate("layout", layout));
}

HttpResponse PublicPage(int status, std::string_view title, std::string_view name, json view) {
  json layout = {{"title", title}, {"user", nullptr}, {"body", RenderTemplate(name, view)}};
  return Html(status, RenderTemplate("layout", layout));
}

HttpResponse Fragment(std::string_view name, const json& view) { return Html(200, RenderTemplate(name, view)); }

HttpResponse SeeOther(std::string location) {
  HttpResponse response = Html(303, "");
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

HttpResponse ErrorPage(const HttpRequest&, const Status& status) {
  int http_status = ErrorResponse(status).status;
  return PublicPage(http_status, "Det gick inte",
                    "error", {{"message", ErrorSv(status.code())}, {"detail", status.message()},
                              {"status", http_status}});
}

}  // namespace nysol::web::pages
