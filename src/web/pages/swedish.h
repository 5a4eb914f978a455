// The web interface's words: the law's Swedish terms for phases, events, steps, clocks, roles and refusals
// (GLOSSARY.md maps them to the names in the code). Code lists have their Swedish names in the rulebook.
#pragma once

#include <string>
#include <string_view>

#include "access/policy.h"
#include "core/status.h"

namespace nysol::web::pages {

std::string_view PhaseSv(std::string_view phase);            // "received" → "Inkommen"
std::string_view EventSv(std::string_view kind);             // "report_received" → "Orosanmälan inkom"
std::string_view StepSv(std::string_view step);              // "preliminary-assessment" → "Förhandsbedömning"
std::string_view RoleSv(access::Role role);                  // "Handläggare"
std::string_view DispositionSv(std::string_view outcome);    // a report's outcome: "Utredning inleddes"
// A clock in words, never in colour alone: "3 dagar kvar", "Sista dag i dag", "2 dagar försenad", "Klar i tid".
std::string ClockTextSv(std::string_view status, int days_left, bool extended);
// What went wrong, for the person at the screen: a sentence per kind of refusal.
std::string_view ErrorSv(ErrorCode code);

}  // namespace nysol::web::pages
