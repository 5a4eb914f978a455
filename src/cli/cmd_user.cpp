// `nysol user add --db FILE --username U --name NAME --unit UNIT --role ROLE`: creates a user and prints its
// API token once (it is stored only as a hash).
// `nysol user passwd --db FILE --username U`: sets the user's password, read from stdin (one line).
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "access/session_manager.h"
#include "access/user_directory.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "store/case_store.h"

namespace nysol::cli {
namespace {

// One line from stdin without its line ending. On a terminal it prompts on stderr and does not echo.
bool ReadSecretLine(const std::string& prompt, std::string* line) {
  const bool terminal = ::isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  bool got = static_cast<bool>(std::getline(std::cin, *line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (got && !line->empty() && line->back() == '\r') line->pop_back();  // a line ending from Windows
  return got;
}

void SetPassword(const std::string& db, const std::string& username, int* exit_code) {
  std::string password;
  if (!ReadSecretLine("New password for " + username + ": ", &password)) {
    std::cerr << "user passwd: no password on stdin\n";
    *exit_code = 2;
    return;
  }
  if (Status rules = access::CheckNewPassword(password); !rules.ok()) {
    std::cerr << "user passwd: " << rules.message() << "; nothing was changed\n";
    *exit_code = 2;
    return;
  }
  if (::isatty(STDIN_FILENO)) {
    std::string again;
    if (!ReadSecretLine("Again: ", &again) || again != password) {
      std::cerr << "user passwd: the two passwords differ; nothing was changed\n";
      *exit_code = 2;
      return;
    }
  }
  auto store = store::CaseStore::Open(db);  // migrates the database if needed
  if (!store.ok()) {
    std::cerr << "user passwd: " << store.status().message() << "\n";
    *exit_code = 2;
    return;
  }
  SystemClock clock;
  access::UserDirectory users(db);
  access::SessionManager sessions(db, users, clock);
  if (Status set = sessions.SetPassword(username, password); !set.ok()) {
    std::cerr << "user passwd: " << set.message() << "\n";
    *exit_code = 2;
    return;
  }
  std::cerr << "user passwd: the password of '" << username << "' is set; its open sessions have ended\n";
}

}  // namespace

void RegisterUser(CLI::App& app, int* exit_code) {
  struct Options {
    std::string db, username, name, unit, role;
    bool protected_data_access = false;
  };
  auto options = std::make_shared<Options>();
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create a user and print its API token");
  add->add_option("--db", options->db, "SQLite database file")->required();
  add->add_option("--username", options->username, "Login name")->required();
  add->add_option("--name", options->name, "Display name")->required();
  add->add_option("--unit", options->unit, "Unit, e.g. utredning-barn")->required();
  add->add_option("--role", options->role, "case_worker | team_lead | first_line | analyst | committee | admin")
      ->required();
  add->add_flag("--protected-data-access", options->protected_data_access,
                "Explicitly authorised to see address and other locating data of persons with protected identity");
  add->callback([options, exit_code] {
    access::Role role;
    if (!access::ParseRole(options->role, &role)) {
      std::cerr << "user add: unknown role '" << options->role << "'\n";
      *exit_code = 2;
      return;
    }
    auto store = store::CaseStore::Open(options->db);  // creates and migrates the database if needed
    if (!store.ok()) {
      std::cerr << "user add: " << store.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    access::UserDirectory users(options->db);
    auto token = users.AddUser(options->username, options->name, options->unit, role, FormatUtc(SystemClock().Now()));
    if (token.ok() && options->protected_data_access) {
      if (Status set = users.SetProtectedDataAccess(options->username, true); !set.ok()) token = set;
    }
    if (!token.ok()) {
      std::cerr << "user add: " << token.status().message() << "\n";
      *exit_code = 2;
      return;
    }
    std::cout << *token << "\n";
  });

  auto* passwd =
      user->add_subcommand("passwd", "Set a user's password, read from stdin (at least 12 characters)");
  passwd->add_option("--db", options->db, "SQLite database file")->required();
  passwd->add_option("--username", options->username, "Login name")->required();
  passwd->callback([options, exit_code] { SetPassword(options->db, options->username, exit_code); });
}

}  // namespace nysol::cli
