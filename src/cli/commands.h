// Each `nysol` subcommand registers itself on the CLI11 app from its own file (cmd_<name>.cpp).
// A command's callback sets the process exit code through the returned int reference.
#pragma once

#include <CLI/CLI.hpp>

namespace nysol::cli {

// Every Register function adds one subcommand; when it runs it stores its exit code in `*exit_code`.
void RegisterPnr(CLI::App& app, int* exit_code);
void RegisterDeadline(CLI::App& app, int* exit_code);
void RegisterHolidays(CLI::App& app, int* exit_code);
void RegisterDemo(CLI::App& app, int* exit_code);
void RegisterServe(CLI::App& app, int* exit_code);
void RegisterReplay(CLI::App& app, int* exit_code);
void RegisterUser(CLI::App& app, int* exit_code);
void RegisterUnit(CLI::App& app, int* exit_code);
void RegisterGallra(CLI::App& app, int* exit_code);
void RegisterCatalog(CLI::App& app, int* exit_code);
void RegisterKpi(CLI::App& app, int* exit_code);
void RegisterRegister(CLI::App& app, int* exit_code);
void RegisterSimulate(CLI::App& app, int* exit_code);
void RegisterMigrate(CLI::App& app, int* exit_code);
void RegisterBackup(CLI::App& app, int* exit_code);
void RegisterRestore(CLI::App& app, int* exit_code);

}  // namespace nysol::cli
