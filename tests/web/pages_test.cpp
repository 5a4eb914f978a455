// The web interface's parts that need no browser: templates, the step forms' mapping to the API's bodies,
// form parsing, the words in Swedish. The pages themselves are tested in a real browser (tests/ui/).
#include <gtest/gtest.h>

#include <set>

#include "core/matter_commands.h"
#include "web/pages/assets.h"
#include "web/pages/render.h"
#include "web/pages/step_forms.h"
#include "web/pages/swedish.h"
#include "web/url.h"

namespace nysol::web::pages {
namespace {

using nlohmann::json;

TEST(Templates, EveryTemplateParsesAndRendersWithAnEmptyView) {
  for (const char* name : {"layout", "error", "login", "start", "matter", "report_new", "letter", "search",
                           "outside_unit", "first_line_new", "services", "committee_decisions", "followup", "planning", "_clock",
                           "_field", "_step_form",
                           "_identity_hint"}) {
    EXPECT_NO_THROW(RenderTemplate(name, json::object())) << name;
  }
  EXPECT_THROW(RenderTemplate("no_such_page", json::object()), std::logic_error);
}

TEST(Templates, ValuesAreEscaped) {
  std::string html = RenderTemplate("error", {{"message", "<script>alert(1)</script>"}, {"detail", "\"x\" & 'y'"},
                                              {"status", 400}});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;x&quot; &amp; &apos;y&apos;"), std::string::npos);
}

TEST(Assets, StaticFilesAndHtmxAreEmbedded) {
  for (const char* name : {"app.css", "app.js", "htmx.min.js", "favicon.svg", "layout.mustache"}) {
    auto asset = FindAsset(name);
    ASSERT_TRUE(asset.has_value()) << name;
    EXPECT_GT(asset->size(), 100u) << name;
  }
  EXPECT_NE(FindAsset("htmx.min.js")->find("htmx"), std::string_view::npos);
  EXPECT_FALSE(FindAsset("../CMakeLists.txt").has_value());
}

TEST(StepForms, EveryNextStepOfTheChainHasAForm) {
  // Every step NextSteps can name, for children and adults in every phase.
  for (const char* step : {"protection-assessment", "preliminary-assessment", "preliminary-assessment/extension",
                           "investigation", "investigation/notification", "investigation/extension",
                           "investigation/completion", "decisions", "interventions", "closure"}) {
    const StepSpec* spec = FindStep(step);
    ASSERT_NE(spec, nullptr) << step;
    EXPECT_NE(StepSv(step), step) << "no Swedish name for " << step;
    EXPECT_FALSE(spec->law_ref.empty()) << step;
  }
}

TEST(StepForms, APostedFormBecomesTheApiBody) {
  const StepSpec& spec = *FindStep("protection-assessment");
  FormFields form = {{"assessed_at", "2026-03-02T08:30"}, {"immediate_need", "false"}, {"reasons", "Rad ett\r\nRad två"},
                     {"_csrf", "ignored"}};
  auto body = StepInput(spec, form);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, json({{"assessed_at", "2026-03-02T08:30"}, {"immediate_need", false}, {"reasons", "Rad ett\nRad två"}}));
}

TEST(StepForms, BlankOptionalFieldsAreLeftOutAndIdsAreNumbers) {
  auto body = StepInput(*FindStep("interventions"), {{"decision_id", "7"}, {"started_on", "2026-03-02"}});
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["decision_id"], 7);
  auto decision = StepInput(*FindStep("decisions"),
                            {{"outcome", "granted"}, {"intervention", "kontaktperson"}, {"legal_basis", "sol-11-1"},
                             {"decided_on", "2026-03-02"}, {"decided_by", "A"}, {"reasons", "R"}, {"served_on", " "}});
  ASSERT_TRUE(decision.ok());
  EXPECT_FALSE(decision->contains("served_on"));
}

TEST(StepForms, AMissingOrMalformedFieldIsRefusedInSwedishByItsLabel) {
  const StepSpec& spec = *FindStep("protection-assessment");
  auto missing = StepInput(spec, {{"assessed_at", "2026-03-02T08:30"}, {"immediate_need", "true"}, {"reasons", "  "}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(missing.status().message(), "Fyll i ”Skäl”.");
  auto bad = StepInput(spec, {{"assessed_at", "2026-03-02T08:30"}, {"immediate_need", "kanske"}, {"reasons", "R"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Välj ja eller nej i ”Finns ett omedelbart skyddsbehov?”.");
  auto decision = StepInput(*FindStep("interventions"), {{"decision_id", "sju"}, {"started_on", "2026-03-02"}});
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().message(), "Välj ett beslut i ”Beslut”.");
}

TEST(Forms, AFormBodyIsDecodedLikeAQuery) {
  std::multimap<std::string, std::string> fields;
  ASSERT_TRUE(ParseForm("text=Hej+d%C3%A5%21&kind=note&empty=&flag", &fields));
  EXPECT_EQ(fields.find("text")->second, "Hej då!");
  EXPECT_EQ(fields.find("kind")->second, "note");
  EXPECT_EQ(fields.find("empty")->second, "");
  EXPECT_EQ(fields.find("flag")->second, "");
  std::multimap<std::string, std::string> bad;
  EXPECT_FALSE(ParseForm("text=%ZZ", &bad));
  EXPECT_FALSE(ParseForm("text=%00", &bad));
}

TEST(Swedish, ClocksAreSaidInWordsNotOnlyColour) {
  EXPECT_EQ(ClockTextSv("running", 3, false), "3 dagar kvar");
  EXPECT_EQ(ClockTextSv("running", 1, false), "1 dag kvar");
  EXPECT_EQ(ClockTextSv("running", 0, false), "Sista dag i dag");
  EXPECT_EQ(ClockTextSv("overdue", -2, true), "Försenad 2 dagar (förlängd)");
  EXPECT_EQ(ClockTextSv("met", 0, false), "Klar i tid");
  EXPECT_EQ(ClockTextSv("late", 0, false), "Klar för sent");
}

TEST(Swedish, EveryErrorCodeHasASentence) {
  for (int code = static_cast<int>(ErrorCode::kInvalidInput); code <= static_cast<int>(ErrorCode::kInternal); ++code) {
    EXPECT_FALSE(ErrorSv(static_cast<ErrorCode>(code)).empty()) << code;
  }
}

}  // namespace
}  // namespace nysol::web::pages
