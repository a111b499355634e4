#pragma once

#include "cmd/clearcut/exit_codes.h"
#include <CLI/CLI.hpp>

namespace clearcut::cmd {

// Each subcommand registers itself on the app and writes its exit code (exit_codes.h) to
// `*exit_code` when it runs; its --help ends with the table. Commands are thin: they parse flags,
// call the library, print.
void add_assess_command(CLI::App& app, int* exit_code);
void add_policy_command(CLI::App& app, int* exit_code);
void add_serve_command(CLI::App& app, int* exit_code);
void add_admin_command(CLI::App& app, int* exit_code);
void add_audit_command(CLI::App& app, int* exit_code);
void add_keys_command(CLI::App& app, int* exit_code);
void add_scan_command(CLI::App& app, int* exit_code);
void add_scan_worker_command(CLI::App& app, int* exit_code);
void add_stamp_command(CLI::App& app, int* exit_code);
void add_inspect_command(CLI::App& app, int* exit_code);

// `--file-time-limit` and `--file-seconds-per-gib`, shared by `scan` and `scan-worker`: how long
// one file of a delivery may take before it is abandoned with an error.
void add_file_time_limit_options(CLI::App* cmd, double* limit_seconds, double* seconds_per_gib);

}  // namespace clearcut::cmd
