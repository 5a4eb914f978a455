#include "web/pages/swedish.h"

#include <fmt/format.h>

#include <map>

namespace nysol::web::pages {
namespace {

std::string_view Lookup(const std::map<std::string_view, std::string_view>& words, std::string_view key) {
  auto it = words.find(key);
  return it == words.end() ? key : it->second;
}

}  // namespace

std::string_view PhaseSv(std::string_view phase) {
  static const std::map<std::string_view, std::string_view> kWords = {
      {"received", "Inkommen"},
      {"investigating", "Utredning pågår"},
      {"investigated", "Utredning klar"},
      {"closed", "Avslutat"},
  };
  return Lookup(kWords, phase);
}

std::string_view EventSv(std::string_view kind) {
  static const std::map<std::string_view, std::string_view> kWords = {
      {"person_registered", "Person registrerad"},
      {"matter_opened", "Ärende öppnat"},
      {"report_received", "Orosanmälan inkom"},
      {"application_received", "Ansökan inkom"},
      {"protection_assessed", "Skyddsbedömning"},
      {"preliminary_extended", "Förhandsbedömning förlängd"},
      {"preliminary_decided", "Förhandsbedömning beslutad"},
      {"investigation_started", "Utredning inledd"},
      {"investigation_notified", "Underrättelse om utredning"},
      {"investigation_extended", "Utredningstid förlängd"},
      {"investigation_completed", "Utredning avslutad"},
      {"decision_made", "Beslut"},
      {"decision_served", "Beslut delgivet"},
      {"intervention_started", "Insats påbörjad"},
      {"intervention_ended", "Insats avslutad"},
      {"matter_assigned", "Ärende fördelat"},
      {"matter_transferred", "Ärende överlämnat"},
      {"protected_identity_set", "Skyddade personuppgifter ändrade"},
      {"note_added", "Journalanteckning"},
      {"committee_decision_recorded", "Nämndbeslut om insats utan behovsprövning"},
      {"first_line_participation", "Deltagande i första linjen"},
      {"first_line_referred", "Ansökan från första linjen"},
      {"matter_closed", "Ärende avslutat"},
  };
  return Lookup(kWords, kind);
}

std::string_view StepSv(std::string_view step) {
  static const std::map<std::string_view, std::string_view> kWords = {
      {"protection-assessment", "Skyddsbedömning"},
      {"preliminary-assessment", "Förhandsbedömning"},
      {"preliminary-assessment/extension", "Förläng förhandsbedömningen"},
      {"investigation", "Inled utredning"},
      {"investigation/notification", "Underrätta om utredningen"},
      {"investigation/extension", "Förläng utredningstiden"},
      {"investigation/completion", "Avsluta utredningen"},
      {"decisions", "Fatta beslut"},
      {"interventions", "Påbörja insats"},
      {"closure", "Avsluta ärendet"},
      {"decisions/service", "Registrera delgivning"},
      {"interventions/end", "Avsluta insatsen"},
  };
  return Lookup(kWords, step);
}

std::string_view RoleSv(access::Role role) {
  switch (role) {
    case access::Role::kCaseWorker: return "Handläggare";
    case access::Role::kTeamLead: return "Arbetsledare";
    case access::Role::kFirstLine: return "Första linjen";
    case access::Role::kAnalyst: return "Analytiker";
    case access::Role::kCommittee: return "Socialnämnden";
    case access::Role::kAdmin: return "Systemförvaltare";
  }
  return "Okänd roll";
}

std::string_view DispositionSv(std::string_view outcome) {
  static const std::map<std::string_view, std::string_view> kWords = {
      {"pending", "Förhandsbedömning pågår"},
      {"investigation_opened", "Utredning inleddes"},
      {"no_investigation", "Utredning inleddes inte"},
      {"attached_to_investigation", "Till pågående utredning"},
  };
  return Lookup(kWords, outcome);
}

std::string ClockTextSv(std::string_view status, int days_left, bool extended) {
  std::string text;
  if (status == "running") {
    if (days_left == 0) {
      text = "Sista dag i dag";
    } else {
      text = fmt::format("{} {} kvar", days_left, days_left == 1 ? "dag" : "dagar");
    }
  } else if (status == "overdue") {
    text = fmt::format("Försenad {} {}", -days_left, -days_left == 1 ? "dag" : "dagar");
  } else if (status == "met") {
    text = "Klar i tid";
  } else if (status == "late") {
    text = "Klar för sent";
  } else if (status == "expired") {
    text = "Tiden har gått ut";
  } else {
    text = std::string(status);
  }
  if (extended) text += " (förlängd)";
  return text;
}

std::string_view ErrorSv(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "";
    case ErrorCode::kInvalidInput: return "Uppgifterna är inte fullständiga eller inte giltiga.";
    case ErrorCode::kInvalidIdentityNumber: return "Person- eller samordningsnumret är inte giltigt.";
    case ErrorCode::kInvalidDate: return "Datumet eller tiden är inte giltig.";
    case ErrorCode::kUnknownCode: return "Värdet finns inte i regelverkets kodlista.";
    case ErrorCode::kMalformedJson: return "Uppgifterna kunde inte läsas.";
    case ErrorCode::kPayloadTooLarge: return "Texten är för lång.";
    case ErrorCode::kNotFound: return "Sidan eller ärendet finns inte.";
    case ErrorCode::kIllegalTransition: return "Steget kan inte tas i ärendets nuvarande skede.";
    case ErrorCode::kConflict: return "Uppgiften finns redan eller strider mot det som är registrerat.";
    case ErrorCode::kUnauthenticated: return "Du behöver logga in.";
    case ErrorCode::kForbidden: return "Du har inte behörighet till detta.";
    case ErrorCode::kCsrfTokenInvalid:
      return "Formuläret kunde inte kontrolleras. Ladda om sidan och försök igen.";
    case ErrorCode::kTooManyAttempts: return "För många misslyckade inloggningar. Vänta en stund och försök igen.";
    case ErrorCode::kUnavailable: return "Systemet kan inte spara just nu. Inget har sparats; försök igen.";
    case ErrorCode::kInternal: return "Ett oväntat fel inträffade. Inget har sparats.";
  }
  return "Ett oväntat fel inträffade.";
}

}  // namespace nysol::web::pages
