#include "synth/municipality.h"

#include "synth/first_line.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <queue>
#include <random>
#include <unordered_set>

#include "core/clock.h"
#include "core/identity_number.h"
#include "core/matter_commands.h"

namespace nysol::synth {
namespace {

using nlohmann::json;

// Calibration (docs/DEMO.md; ../shared/reference/standards.md §3 and law-brief.md §8).
constexpr double kChildShareOfPersons = 0.7;      // assumption: most persons on record are reported children
constexpr double kReportsPerThousandChildren = 190;  // 2021: 192 per 1,000 children
constexpr double kApplicationsPerAdult = 1.3;
constexpr double kAnnualGrowth = 0.05;            // reports rose 27 % from 2018 to 2021
constexpr double kImmediateNeedShare = 0.04;
constexpr double kInvestigateShare = 0.45;  // with immediate need always investigated: ≈38 % of all reports
constexpr double kUnknownIdentityShare = 0.02;
// A report names a child reported before with this probability. Chosen so that reports per reported child in
// a year come out near 1.9 (the national figure is yearly: 422k reports about 216k children in 2021); over the
// whole history the ratio is higher, as children are reported in several years.
constexpr double kRepeatShare = 0.7;
constexpr double kRecentRepeatShare = 0.85;  // of repeats: a child reported in the last twelve months
constexpr int kMinutesPerDay = 24 * 60;
// Summer and Christmas holidays lower the inflow; the autumn term raises it.
constexpr double kMonthFactor[12] = {1.0, 1.05, 1.1, 1.05, 1.1, 0.95, 0.6, 0.85, 1.15, 1.15, 1.1, 0.85};

enum class Step {
  kReport, kApplication, kProtection, kPreliminaryExtend, kPreliminary, kNotify, kInvestigationExtend, kComplete,
  kDecide, kServe, kStartIntervention, kEndIntervention, kClose, kAdultStart,
};

// One report's or application's path through the chain, planned at arrival, carried out step by step.
struct Story {
  bool child = true;
  int64_t person_index = -1;  // index into people_, -1 for an unknown identity
  int64_t matter_id = 0;
  bool owns_matter = false;   // false when the report was attached to an existing matter
  bool immediate_need = false;
  bool investigate = false;
  int preliminary_days = 0;
  bool preliminary_extension = false;
  int investigation_days = 0;
  int investigation_extension_months = 0;
  std::string outcome;        // granted | partly_refused | refused | "" (no decision)
  std::string intervention;
  std::string legal_basis;
  int intervention_days = 0;
  bool withdrawn = false;
  int64_t decision_id = 0;
  int64_t intervention_id = 0;
  Date received_on;
  bool transferred = false;  // handed from intake to the investigation unit
};

struct Action {
  int64_t minute;
  int64_t order;
  size_t story;
  Step step;
  bool operator>(const Action& other) const {
    return minute != other.minute ? minute > other.minute : order > other.order;
  }
};

struct Person {
  std::string identity_number;
  Date born;
  bool child = true;
};

// Made-up names: common Swedish first names and surnames (SCB's name statistics), combined by the person's
// index, so that the demo's pages read like a real case list without naming anyone real.
const char* const kFemaleNames[] = {"Alice", "Maja", "Elsa", "Astrid", "Wilma", "Freja", "Olivia", "Selma",
                                    "Alma",  "Ebba", "Saga", "Agnes",  "Ella",  "Vera",  "Signe",  "Ellen"};
const char* const kMaleNames[] = {"Noah", "William", "Hugo", "Liam",   "Lucas", "Oscar", "Elias", "Adam",
                                  "Leo",  "Ludvig",  "Nils", "Vincent", "Olle", "Theo",  "Alfred", "Sixten"};
const char* const kSurnames[] = {"Andersson",  "Johansson", "Karlsson", "Nilsson",   "Eriksson",
                                 "Larsson",    "Olsson",    "Persson",  "Svensson",  "Gustafsson",
                                 "Pettersson", "Jonsson",   "Lindberg", "Magnusson", "Olofsson",
                                 "Berglund",   "Holm",      "Sandberg", "Ek",        "Lindström",
                                 "Sjöberg",    "Åberg",     "Öberg",    "Hägglund",  "Björk"};

std::string MadeUpName(int64_t index, const std::string& identity_number) {
  // The ninth digit of the number is odd for men and even for women.
  bool male = (identity_number[10] - '0') % 2 == 1;
  auto pick = [](const auto& list, int64_t i) { return list[static_cast<size_t>(i) % std::size(list)]; };
  return fmt::format("{} {}", male ? pick(kMaleNames, index) : pick(kFemaleNames, index),
                     pick(kSurnames, index / 7));
}

const char* const kChildReasons[] = {
    "Uppgifter om våld i hemmet; barnet har berättat att en förälder slår.",
    "Barnet har bevittnat våld mellan vårdnadshavarna.",
    "Oro för förälderns missbruk och barnets omsorg.",
    "Förälderns psykiska ohälsa påverkar omsorgen om barnet.",
    "Hög skolfrånvaro sedan terminens början.",
    "Barnet har setts ute sent på kvällarna och umgås med äldre ungdomar.",
    "Misstanke om att barnet använder narkotika.",
    "Barnet har gripits misstänkt för snatteri.",
    "Barnet kommer till förskolan hungrigt och i otvättade kläder.",
    "Konflikt mellan vårdnadshavarna som påverkar barnet.",
};
const char* const kApplicationReasons[] = {
    "Ansöker om försörjningsstöd för hyra och uppehälle.",
    "Ansöker om behandling för alkoholberoende.",
    "Ansöker om boendestöd efter utskrivning.",
    "Ansöker om skyddat boende på grund av våld i nära relation.",
    "Ansöker om kontaktperson.",
};
const char* const kCaseWorkers[] = {"Anna Berg", "Johan Lind", "Sara Nyström", "Mikael Ek", "Fatima Ali",
                                    "Lena Holm", "Erik Sand", "Maria Lund"};

// Reports reach the intake unit; a matter whose investigation opens is transferred to the investigation unit
// and assigned to one of its case workers.
constexpr const char* kIntakeUnit = "mottagning-barn";
constexpr const char* kInvestigationUnit = "utredning-barn";
constexpr const char* kAdultUnit = "vuxen";
constexpr int64_t kProtectedEvery = 1000;
const char* const kInvestigators[] = {"handlaggare", "utredare.b", "utredare.c", "utredare.d"};

class Generator {
 public:
  Generator(store::CaseStore& store, const Rulebook& rulebook, const MunicipalityOptions& options)
      : store_(store), rulebook_(rulebook), options_(options), rng_(options.seed) {
    start_ = AddDays(Date{options.end.year() - std::chrono::years{options.years}, options.end.month(),
                          options.end.day() == std::chrono::day{29} ? std::chrono::day{28} : options.end.day()},
                     1);
    days_ = DaysBetween(start_, options.end) + 1;
  }

  MunicipalityStats Run(const std::function<void(Date)>& progress) {
    PlanRates();
    for (int day = 0; day < days_; ++day) {
      ScheduleArrivals(day);
      int64_t day_end = static_cast<int64_t>(day + 1) * kMinutesPerDay;
      while (!queue_.empty() && queue_.top().minute < day_end) {
        Action action = queue_.top();
        queue_.pop();
        Execute(action);
      }
      if (progress && day % 30 == 0) progress(AddDays(start_, day));
    }
    stats_.persons = static_cast<int64_t>(people_.size()) + unknown_people_;
    stats_.implied_children = static_cast<int64_t>(
        std::llround(stats_.child_reports / (kReportsPerThousandChildren / 1000.0) / options_.years));
    return stats_;
  }

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int Between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return Uniform() < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) { return items[Between(0, N - 1)]; }

  Date DayDate(int day) const { return AddDays(start_, day); }
  LocalDateTime ToLocal(int64_t minute) const {
    return LocalDateTime{DayDate(static_cast<int>(minute / kMinutesPerDay)),
                         static_cast<int>(minute % kMinutesPerDay / 60), static_cast<int>(minute % 60), 0};
  }
  // A working-hours time on the day `days` after `minute`'s day.
  int64_t Later(int64_t minute, int days) {
    int64_t day = minute / kMinutesPerDay + days;
    int64_t at = day * kMinutesPerDay + Between(8 * 60, 16 * 60);
    return std::max(at, minute + 1);
  }

  double DayFactor(int day) const {
    Date date = DayDate(day);
    double factor = kMonthFactor[static_cast<unsigned>(date.month()) - 1];
    auto weekday = std::chrono::weekday{std::chrono::sys_days{date}}.c_encoding();
    factor *= (weekday == 0 || weekday == 6) ? 0.45 : 1.15;
    return factor * std::pow(1.0 + kAnnualGrowth, day / 365.0);
  }

  void PlanRates() {
    double total = 0;
    for (int day = 0; day < days_; ++day) total += DayFactor(day);
    double child_persons = options_.persons * kChildShareOfPersons;
    double adult_persons = options_.persons - child_persons;
    report_rate_ = child_persons / (1.0 - kRepeatShare) / total;
    application_rate_ = adult_persons * kApplicationsPerAdult / total;
  }

  int Poisson(double mean) { return std::poisson_distribution<int>(mean)(rng_); }

  void ScheduleArrivals(int day) {
    double factor = DayFactor(day);
    int reports = Poisson(report_rate_ * factor);
    for (int i = 0; i < reports; ++i) NewStory(true, day);
    int applications = Poisson(application_rate_ * factor);
    for (int i = 0; i < applications; ++i) NewStory(false, day);
  }

  void Schedule(size_t story, Step step, int64_t minute) {
    if (minute >= static_cast<int64_t>(days_) * kMinutesPerDay) return;  // after the demo's "today": still open
    queue_.push({minute, next_order_++, story, step});
  }

  // A Luhn-valid synthetic identity number (birth numbers 980–999), unique in this municipality. When the
  // birth date is taken, a later one (not after `today`) is tried, so that a child stays a child.
  std::string NewIdentityNumber(Date* born, Date today, bool male) {
    for (int attempt = 0;; ++attempt) {
      int room = std::min(200, DaysBetween(*born, today));
      Date date = attempt < 10 || room <= 0 ? *born : AddDays(*born, Between(0, room));
      int birth_number = 980 + 2 * Between(0, 9) + (male ? 1 : 0);
      std::string nine = fmt::format("{:02}{:02}{:02}{:03}", static_cast<int>(date.year()) % 100,
                                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                     birth_number);
      std::string digits = fmt::format("{:02}{}{}", static_cast<int>(date.year()) / 100, nine, LuhnCheckDigit(nine));
      if (used_numbers_.insert(digits).second) {
        *born = date;
        return digits;
      }
    }
  }

  int64_t NewPerson(bool child, Date on) {
    int age = child ? (Chance(0.67) ? Between(0, 12) : Between(13, 17)) : Between(18, 80);
    Date born = AddDays(on, -(age * 365 + Between(1, 360)));
    bool male = child ? Chance(0.55) : Chance(0.5);
    std::string number = NewIdentityNumber(&born, on, male);
    people_.push_back({std::move(number), born, child});
    if (child) reported_children_.push_back(static_cast<int64_t>(people_.size()) - 1);
    return static_cast<int64_t>(people_.size()) - 1;
  }

  // A repeat report only about someone still young enough for one on that day (20 kap. 1–2 §§ SoL; under
  // the old law only children).
  bool Reportable(const Person& person, Date on) const {
    auto limit = rulebook_.Years("young-person-age-limit", on);
    return limit.ok() && AgeOn(person.born, on) < limit->years;
  }

  void NewStory(bool child, int day) {
    Story story;
    story.child = child;
    story.received_on = DayDate(day);
    if (child) {
      if (Chance(kUnknownIdentityShare)) {
        story.person_index = -1;
      } else if (!reported_children_.empty() && Chance(kRepeatShare)) {
        // Repeat reports cluster in time: most repeat a child reported in the last twelve months, drawn in
        // proportion to that child's reports (some children are reported again and again).
        auto recent = std::lower_bound(recent_reports_.begin(), recent_reports_.end(),
                                       std::make_pair(day - 365, int64_t{-1}));
        size_t recent_count = static_cast<size_t>(recent_reports_.end() - recent);
        if (recent_count > 0 && Chance(kRecentRepeatShare)) {
          story.person_index = (recent + Between(0, static_cast<int>(recent_count) - 1))->second;
        } else {
          story.person_index = reported_children_[Between(0, static_cast<int>(reported_children_.size()) - 1)];
        }
        if (!Reportable(people_[story.person_index], story.received_on)) {
          story.person_index = NewPerson(true, story.received_on);
        }
      } else {
        story.person_index = NewPerson(true, story.received_on);
      }
      if (story.person_index >= 0) recent_reports_.emplace_back(day, story.person_index);
      story.immediate_need = Chance(kImmediateNeedShare);
      story.investigate = story.immediate_need || Chance(kInvestigateShare);
      double r = Uniform();
      story.preliminary_days = story.immediate_need ? Between(0, 1)
                               : r < 0.6               ? Between(2, 10)
                               : r < 0.9               ? Between(11, 14)
                                                       : Between(15, 25);
      story.preliminary_extension = story.preliminary_days > 14 && Chance(0.3);
      if (story.investigate) {
        double days = std::normal_distribution<double>(105, 32)(rng_);
        story.investigation_days = static_cast<int>(std::clamp(days, 20.0, 260.0));
        if (story.investigation_days > 120 && Chance(0.55)) {
          story.investigation_extension_months = (story.investigation_days - 120) / 30 + 1;
        }
        double o = Uniform();
        story.outcome = o < 0.55 ? "granted" : o < 0.62 ? "partly_refused" : o < 0.70 ? "refused" : "";
        static const char* const kChildInterventions[] = {
            "familjebehandling", "familjebehandling", "familjebehandling", "kontaktperson", "kontaktfamilj",
            "oppenvard-ungdom",  "oppenvard-ungdom",  "familjehem",         "hvb",           "jourhem"};
        story.intervention = Pick(kChildInterventions);
        story.legal_basis = "sol-11-1";
      }
    } else {
      size_t adults = people_.size() - reported_children_.size();
      if (adults > 0 && Chance(1.0 - 1.0 / kApplicationsPerAdult)) {
        do {
          story.person_index = Between(0, static_cast<int>(people_.size()) - 1);
        } while (people_[story.person_index].child);
      } else {
        story.person_index = NewPerson(false, story.received_on);
      }
      story.withdrawn = Chance(0.05);
      story.investigation_days = Between(14, 90);
      double o = Uniform();
      story.outcome = o < 0.7 ? "granted" : o < 0.8 ? "partly_refused" : "refused";
      static const char* const kAdultInterventions[] = {"forsorjningsstod", "forsorjningsstod", "missbruksbehandling",
                                                        "boendestod", "skyddat-boende", "kontaktperson"};
      story.intervention = Pick(kAdultInterventions);
      story.legal_basis = story.intervention == "forsorjningsstod" ? "sol-12-1" : "sol-11-1";
    }
    story.intervention_days = Between(60, 540);
    stories_.push_back(std::move(story));
    int64_t minute = static_cast<int64_t>(day) * kMinutesPerDay +
                     (Chance(0.85) ? Between(8 * 60, 17 * 60) : Between(0, kMinutesPerDay - 1));
    Schedule(stories_.size() - 1, child ? Step::kReport : Step::kApplication, minute);
  }

  std::string Actor(const Story& story) const {
    if (!story.child) return "vuxenhandlaggare";
    return story.transferred ? "handlaggare" : "mottagning";
  }
  std::string Unit(const Story& story) const {
    if (!story.child) return kAdultUnit;
    return story.transferred ? kInvestigationUnit : kIntakeUnit;
  }

  Result<Events> Run(const Story& story, int64_t minute,
                     const std::function<Result<Events>(CommandContext&)>& command) {
    LocalDateTime now = ToLocal(minute);
    std::string recorded = FormatUtc(FromStockholm(now));
    ++stats_.commands;
    auto events = store_.Write([&](CaseView& view) {
      CommandContext ctx{rulebook_, view, Actor(story), Unit(story), now, recorded};
      return command(ctx);
    });
    if (events.ok()) {
      stats_.events += static_cast<int64_t>(events->size());
    } else {
      ++stats_.refused_commands;
      if (stats_.refused_commands <= 5) {
        fmt::print(stderr, "demo: refused {}: {}\n", ErrorCodeName(events.status().code()), events.status().message());
      }
    }
    return events;
  }

  Result<Events> Apply(const Story& story, int64_t minute, MatterCommand command, const json& input) {
    return ApplyIf(story, minute, [&](const MatterState&) -> std::optional<Next> {
      return Next{command, input};
    });
  }

  // A command chosen from the matter as it stands, loaded once inside the command's own transaction. `choose`
  // returns nothing when the step no longer applies (the matter moved on); that is not a command.
  struct Next {
    MatterCommand command;
    json input;
  };
  Result<Events> ApplyIf(const Story& story, int64_t minute,
                         const std::function<std::optional<Next>(const MatterState&)>& choose) {
    bool skipped = false;
    auto events = Run(story, minute, [&](CommandContext& ctx) -> Result<Events> {
      auto matter = ctx.view.LoadMatter(story.matter_id);
      if (!matter) return Error(ErrorCode::kNotFound, "matter vanished");
      auto next = choose(*matter);
      if (!next) {
        skipped = true;
        return Events{};
      }
      return next->command(*matter, next->input, ctx);
    });
    if (skipped) --stats_.commands;
    return events;
  }

  json Subject(const Story& story) {
    if (story.person_index < 0) {
      ++unknown_people_;
      return {{"name", "Okänt barn"}, {"birth_year", static_cast<int>(story.received_on.year()) - Between(0, 17)}};
    }
    // A made-up street address: a person with protected identity must have locating data to protect.
    int64_t i = story.person_index;
    return {{"identity_number", people_[i].identity_number},
            {"name", MadeUpName(i, people_[i].identity_number)},
            {"address", fmt::format("Exempelgatan {}, {} {} Exempelstad", i % 97 + 1, 123 + i % 70, 10 + i % 90)}};
  }

  // About one person in a thousand has protected personal data (skyddad folkbokföring); mark those the
  // moment they first appear.
  void MarkProtected(const Story& story, int64_t minute, const Events& events) {
    if (story.person_index < 0 || story.person_index % kProtectedEvery != 0) return;
    for (const auto& e : events) {
      if (e.kind != "person_registered") continue;
      int64_t person_id = *e.person_id;
      Run(story, minute + 1, [&](CommandContext& ctx) {
        return SetProtectedIdentity(person_id, {{"protected", true}, {"reason", "Skyddad folkbokföring."}}, ctx);
      });
    }
  }

  std::string DateText(int64_t minute) const { return FormatDate(ToLocal(minute).date); }
  std::string DateTimeText(int64_t minute) const { return FormatLocalDateTime(ToLocal(minute)).substr(0, 16); }

  void Execute(const Action& action) {
    Story& story = stories_[action.story];
    int64_t t = action.minute;
    switch (action.step) {
      case Step::kReport: {
        static const char* const kCategories[] = {"police", "police", "police", "school", "school", "preschool",
                                                  "health_care", "health_care", "social_services", "other_authority",
                                                  "private_person", "anonymous", "child", "guardian"};
        static const char* const kChannels[] = {"phone", "e_service", "e_service", "secure_email", "letter"};
        json report = {{"received_at", DateTimeText(t)},
                       {"reporter_category", Pick(kCategories)},
                       {"channel", Pick(kChannels)},
                       {"text", Pick(kChildReasons)},
                       {"children", json::array({Subject(story)})}};
        auto events = Run(story, t, [&](CommandContext& ctx) { return RegisterReport(report, ctx); });
        if (!events.ok()) return;
        ++stats_.child_reports;
        MarkProtected(story, t, *events);
        for (const auto& e : *events) {
          if (e.kind != "report_received") continue;
          story.matter_id = *e.matter_id;
          story.owns_matter = e.payload["disposition"] == "new_matter";
        }
        int delay_days = Chance(0.85) ? 0 : Chance(0.87) ? 1 : Between(2, 3);
        Schedule(action.story, Step::kProtection, delay_days == 0 ? t + Between(20, 240) : Later(t, delay_days));
        return;
      }
      case Step::kProtection: {
        bool open = false;
        ApplyIf(story, t, [&](const MatterState& matter) -> std::optional<Next> {
          open = matter.phase != MatterPhase::kClosed;
          bool pending = false;
          for (const auto& r : matter.reports) pending = pending || !r.protection_assessed;
          if (!open || !pending) return std::nullopt;
          return Next{RecordProtectionAssessment,
                      {{"assessed_at", DateTimeText(t)},
                       {"immediate_need", story.immediate_need},
                       {"reasons", story.immediate_need ? "Barnet bedöms behöva omedelbart skydd."
                                                        : "Inget behov av omedelbart skydd framkommer."}}};
        });
        if (!open) return;
        if (!story.owns_matter) return;
        int64_t decide_at = Later(t, 0);
        decide_at = std::max(decide_at, static_cast<int64_t>(DaysBetween(start_, story.received_on) +
                                                             story.preliminary_days) * kMinutesPerDay + 9 * 60);
        if (story.preliminary_extension) {
          Schedule(action.story, Step::kPreliminaryExtend,
                   static_cast<int64_t>(DaysBetween(start_, story.received_on) + 12) * kMinutesPerDay + 10 * 60);
        }
        Schedule(action.story, Step::kPreliminary, std::max(decide_at, t + 1));
        return;
      }
      case Step::kPreliminaryExtend:
        ApplyIf(story, t, [&](const MatterState& matter) -> std::optional<Next> {
          if (matter.phase != MatterPhase::kReceived || !matter.preliminary_due) return std::nullopt;
          return Next{ExtendPreliminaryAssessment,
                      {{"new_due", FormatDate(AddDays(*matter.preliminary_due, 14))},
                       {"exceptional_reasons", "Polisförhör med barnet kan inte hållas inom fjorton dagar."},
                       {"decided_on", DateText(t)}}};
        });
        return;
      case Step::kPreliminary: {
        bool decided = false;
        auto events = ApplyIf(story, t, [&](const MatterState& matter) -> std::optional<Next> {
          if (matter.phase != MatterPhase::kReceived) return std::nullopt;
          for (const auto& r : matter.reports) {
            if (!r.protection_assessed) {  // a report arrived minutes ago: assess it first, decide tomorrow
              Schedule(action.story, Step::kPreliminary, Later(t, 1));
              return std::nullopt;
            }
          }
          decided = true;
          return Next{DecidePreliminaryAssessment,
                      {{"decision", story.investigate ? "open_investigation" : "no_investigation"},
                       {"decided_on", DateText(t)},
                       {"reasons", story.investigate ? "Uppgifterna är allvarliga och behöver utredas."
                                                     : "Familjen har redan stöd; oron bedöms inte kräva utredning."},
                       {"decided_by", Pick(kCaseWorkers)}}};
        });
        if (!decided) return;
        if (!events.ok() || !story.investigate) return;
        auto transferred = Apply(story, t, TransferMatter,
                                 {{"to_unit", kInvestigationUnit},
                                  {"assigned_to", Pick(kInvestigators)},
                                  {"reason", "Förhandsbedömningen ledde till utredning."}});
        story.transferred = transferred.ok();
        Schedule(action.story, Step::kNotify, Later(t, Between(0, 3)));
        if (story.investigation_extension_months > 0) {
          Schedule(action.story, Step::kInvestigationExtend, Later(t, 110));
        }
        Schedule(action.story, Step::kComplete, Later(t, story.investigation_days));
        return;
      }
      case Step::kAdultStart: {
        Apply(story, t, StartInvestigation, {{"started_on", DateText(t)}});
        Schedule(action.story, Step::kNotify, Later(t, Between(0, 3)));
        Schedule(action.story, Step::kComplete, Later(t, story.investigation_days));
        return;
      }
      case Step::kNotify:
        Apply(story, t, NotifyInvestigation,
             {{"notified_on", DateText(t)},
              {"notified", story.child ? "Vårdnadshavarna och barnet" : "Den sökande"}});
        return;
      case Step::kInvestigationExtend:
        ApplyIf(story, t, [&](const MatterState& matter) -> std::optional<Next> {
          if (matter.phase != MatterPhase::kInvestigating || !matter.investigation_due) return std::nullopt;
          return Next{ExtendInvestigation,
                      {{"new_due", FormatDate(AddMonths(*matter.investigation_due, story.investigation_extension_months))},
                       {"special_reasons", "Utlåtande från barn- och ungdomspsykiatrin har inte kommit in."},
                       {"decided_on", DateText(t)},
                       {"decided_by", "Arbetsutskottet"}}};
        });
        return;
      case Step::kComplete: {
        auto events = Apply(story, t, CompleteInvestigation,
                           {{"completed_on", DateText(t)},
                            {"conclusion", story.outcome.empty() ? "Utredningen avslutas utan insats."
                                                                 : "Behov av insats föreligger."}});
        if (!events.ok()) return;
        Schedule(action.story, story.outcome.empty() ? Step::kClose : Step::kDecide, Later(t, Between(0, 14)));
        return;
      }
      case Step::kDecide: {
        auto events = Apply(story, t, RecordDecision,
                           {{"outcome", story.outcome},
                            {"intervention", story.intervention},
                            {"legal_basis", story.legal_basis},
                            {"decided_by", Pick(kCaseWorkers)},
                            {"decided_on", DateText(t)},
                            {"reasons", "Bedömningen grundar sig på utredningen."}});
        if (!events.ok()) return;
        story.decision_id = events->front().payload["decision_id"].get<int64_t>();
        Schedule(action.story, Step::kServe, Later(t, Between(1, 10)));
        if (story.outcome == "refused") {
          Schedule(action.story, Step::kClose, Later(t, Between(35, 60)));
        } else {
          Schedule(action.story, Step::kStartIntervention, Later(t, Between(0, 45)));
        }
        return;
      }
      case Step::kServe:
        Apply(story, t, RecordDecisionServed, {{"decision_id", story.decision_id}, {"served_on", DateText(t)}});
        return;
      case Step::kStartIntervention: {
        auto events = Apply(story, t, StartIntervention, {{"decision_id", story.decision_id}, {"started_on", DateText(t)}});
        if (!events.ok()) return;
        story.intervention_id = events->front().payload["intervention_id"].get<int64_t>();
        Schedule(action.story, Step::kEndIntervention, Later(t, story.intervention_days));
        return;
      }
      case Step::kEndIntervention: {
        auto events = Apply(story, t, EndIntervention,
                           {{"intervention_id", story.intervention_id},
                            {"ended_on", DateText(t)},
                            {"reason", "Målen i genomförandeplanen är uppnådda."}});
        if (events.ok()) Schedule(action.story, Step::kClose, Later(t, Between(0, 14)));
        return;
      }
      case Step::kClose:
        Apply(story, t, CloseMatter, {{"closed_on", DateText(t)}, {"reason", "Ärendet avslutas."}});
        return;
      case Step::kApplication: {
        json application = {{"received_at", DateTimeText(t)},
                            {"channel", Chance(0.6) ? "e_service" : "in_person"},
                            {"applicant", Subject(story)},
                            {"text", Pick(kApplicationReasons)}};
        auto events = Run(story, t, [&](CommandContext& ctx) { return RegisterApplication(application, ctx); });
        if (!events.ok()) return;
        ++stats_.applications;
        MarkProtected(story, t, *events);
        story.matter_id = *events->back().matter_id;
        story.owns_matter = true;
        if (story.withdrawn) {
          Schedule(action.story, Step::kClose, Later(t, Between(1, 10)));
        } else {
          Schedule(action.story, Step::kAdultStart, Later(t, Between(0, 14)));
        }
        return;
      }
    }
  }

  store::CaseStore& store_;
  const Rulebook& rulebook_;
  MunicipalityOptions options_;
  std::mt19937_64 rng_;
  Date start_;
  int days_ = 0;
  double report_rate_ = 0;
  double application_rate_ = 0;
  std::vector<Person> people_;
  std::vector<int64_t> reported_children_;
  std::vector<std::pair<int, int64_t>> recent_reports_;  // (day, person index) of every report about a known child
  int64_t unknown_people_ = 0;
  std::unordered_set<std::string> used_numbers_;
  std::vector<Story> stories_;
  std::priority_queue<Action, std::vector<Action>, std::greater<Action>> queue_;
  int64_t next_order_ = 0;
  MunicipalityStats stats_;
};

}  // namespace

MunicipalityStats GenerateMunicipality(store::CaseStore& store, const Rulebook& rulebook,
                                       const MunicipalityOptions& options, const std::function<void(Date)>& progress,
                                       const Catalog* first_line, FirstLineStats* first_line_stats) {
  Generator generator(store, rulebook, options);
  store.BeginBulk();
  MunicipalityStats stats;
  try {
    stats = generator.Run(progress);
    if (first_line) {
      FirstLineStats written = GenerateFirstLine(store, rulebook, *first_line, options);
      if (first_line_stats) *first_line_stats = written;
    }
  } catch (...) {
    store.EndBulk();
    throw;
  }
  store.EndBulk();
  return stats;
}

const std::vector<DemoUser>& DemoUsers() {
  static const std::vector<DemoUser> users = {
      {"mottagning", "Erik Sand", kIntakeUnit, access::Role::kCaseWorker},
      {"handlaggare", "Anna Berg", kInvestigationUnit, access::Role::kCaseWorker},
      {"utredare.b", "Fatima Ali", kInvestigationUnit, access::Role::kCaseWorker},
      {"utredare.c", "Mikael Ek", kInvestigationUnit, access::Role::kCaseWorker},
      {"utredare.d", "Sara Nyström", kInvestigationUnit, access::Role::kCaseWorker},
      {"arbetsledare", "Lena Holm", kInvestigationUnit, access::Role::kTeamLead, true},
      {"vuxenhandlaggare", "Johan Lind", kAdultUnit, access::Role::kCaseWorker},
      {"forstalinjen", "Karin Ås", "forsta-linjen", access::Role::kFirstLine},
      {"analytiker", "Sofia Berg", "stab", access::Role::kAnalyst},
      {"namnd", "Maria Lund", "socialnamnden", access::Role::kCommittee},
      {"admin", "Per Ek", "it", access::Role::kAdmin},
  };
  return users;
}

}  // namespace nysol::synth
