// POST /drafts: autosave. static/app.js posts the text of a field a few seconds after the last keystroke
// (key, text, _csrf); the page shows the saved text again when it is opened, until the form is saved.
#include <fmt/format.h>

#include <charconv>

#include "store/drafts.h"
#include "web/api_json.h"
#include "web/pages/page_routes.h"
#include "web/pages/render.h"
#include "web/url.h"

namespace nysol::web::pages {
namespace {

using access::Permission;

constexpr size_t kMaxKey = 120;
constexpr size_t kMaxDraft = 20000;  // the longest text a command takes (a report's text)

HttpResponse Plain(int status, std::string text) {
  return TextResponse(status, "text/plain; charset=utf-8", std::move(text));
}

// "matter/17/…" → 17; "report/new/text" → none. Keys are lower-case letters, digits, '/', '-', '_' and '{}'.
Result<std::optional<int64_t>> MatterOfKey(const std::string& key) {
  if (key.empty() || key.size() > kMaxKey) return Error(ErrorCode::kInvalidInput, "field 'key' must be 1–120 characters");
  for (unsigned char c : key) {
    if (!(std::islower(c) || std::isdigit(c) || c == '/' || c == '-' || c == '_')) {
      return Error(ErrorCode::kInvalidInput, "field 'key' may hold a–z, 0–9, '/', '-' and '_' only");
    }
  }
  if (key == "report/new/text") return std::optional<int64_t>();
  constexpr std::string_view kMatter = "matter/";
  if (key.rfind(kMatter, 0) != 0) return Error(ErrorCode::kInvalidInput, "field 'key' must start with 'matter/'");
  int64_t id = 0;
  const char* start = key.data() + kMatter.size();
  auto [end, ec] = std::from_chars(start, key.data() + key.size(), id);
  if (ec != std::errc() || id <= 0 || *end != '/') {
    return Error(ErrorCode::kInvalidInput, "field 'key' must be 'matter/<id>/…'");
  }
  return std::optional<int64_t>(id);
}

Handler SaveDraft(const AppServices& services) {
  return [services](RequestContext& ctx) {
    std::multimap<std::string, std::string> form;
    if (!ParseForm(ctx.request.body, &form) || form.count("key") != 1 || form.count("text") != 1) {
      return Plain(400, "send the fields 'key' and 'text' once each, form-encoded");
    }
    std::string key = form.find("key")->second;
    std::string text = form.find("text")->second;
    if (text.size() > kMaxDraft) return Plain(413, fmt::format("a draft holds at most {} bytes", kMaxDraft));
    auto matter_id = MatterOfKey(key);
    if (!matter_id.ok()) return Plain(400, matter_id.status().message());
    if (*matter_id) {
      // A draft about a matter only where the user may work on it.
      auto matter = services.store.LoadMatter(**matter_id);
      if (!matter.ok()) return Plain(404, fmt::format("there is no matter {}", **matter_id));
      if (!ctx.ReachUnit(matter->unit).allowed) return Plain(403, "the matter belongs to another unit");
    }
    Status saved = store::Drafts(services.store.path())
                       .Save(ctx.principal->user_id, key, *matter_id, text, FormatUtc(services.clock.Now()));
    if (!saved.ok()) return Plain(503, "the draft could not be saved");
    return Plain(204, "");
  };
}

}  // namespace

void RegisterDraftRoutes(Router& router, const AppServices& services) {
  router.Add(PageRoute("POST", "/drafts", "Autosave of text being written (form: key, text)", Permission::kWriteCases,
                       true, SaveDraft(services)));
}

}  // namespace nysol::web::pages
