// `nysol`: the one executable. Subcommands live in cmd_*.cpp, one file each.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"NySoL — socialtjänst enligt socialtjänstlagen (2025:400)"};
  app.require_subcommand(1);
  int exit_code = 0;
  nysol::cli::RegisterPnr(app, &exit_code);
  nysol::cli::RegisterDeadline(app, &exit_code);
  nysol::cli::RegisterHolidays(app, &exit_code);
  nysol::cli::RegisterDemo(app, &exit_code);
  nysol::cli::RegisterServe(app, &exit_code);
  nysol::cli::RegisterReplay(app, &exit_code);
  nysol::cli::RegisterUser(app, &exit_code);
  nysol::cli::RegisterUnit(app, &exit_code);
  nysol::cli::RegisterGallra(app, &exit_code);
  nysol::cli::RegisterCatalog(app, &exit_code);
  nysol::cli::RegisterKpi(app, &exit_code);
  nysol::cli::RegisterRegister(app, &exit_code);
  nysol::cli::RegisterSimulate(app, &exit_code);
  nysol::cli::RegisterMigrate(app, &exit_code);
  nysol::cli::RegisterBackup(app, &exit_code);
  nysol::cli::RegisterRestore(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
