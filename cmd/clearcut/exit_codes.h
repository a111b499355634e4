#pragma once

// The exit codes every subcommand shares, and their --help footer. POLICY.md §2 fixes 2 for
// invalid input and `assess`'s 0, 10 and 20; the rest follows one rule: 1 is an answer, never an
// error. A command that answers a question (does the delivery pass, is the audit log intact, do
// the policy cases pass, does the key fit) exits 0 for yes and 1 for no; an error that stops any
// command exits with exit_code(error), so CI pipelines never read "the database was down" as
// "the delivery fails".

#include <initializer_list>
#include <string>
#include <string_view>

#include "clearcut/base/error.h"

namespace clearcut::cmd {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNo = 1;              // the command's answer is no
inline constexpr int kExitInvalidInput = 2;    // an error stopped the command
inline constexpr int kExitInternalError = 70;  // a bug in clearcut (sysexits' EX_SOFTWARE)

// kInternal (and an exception that escapes a command) is kExitInternalError; every other code
// is kExitInvalidInput: bad flags or files, unknown names, a refusal, a precondition, or a
// database or file that cannot be reached, read or written. The message says which.
int exit_code(base::ErrorCode code);
inline int exit_code(const base::Error& error) {
  return exit_code(error.code());
}

// Prints "clearcut COMMAND: ERROR" on stderr and returns exit_code(error).
int fail(std::string_view command, const base::Error& error);
// Prints "clearcut COMMAND: MESSAGE" on stderr and returns kExitInvalidInput: for flags that do
// not go together and other refusals found by the command itself.
int usage_error(std::string_view command, std::string_view message);

// What a command's own answers mean, for its footer: {0, "the delivery passes"}, ...
struct ExitAnswer {
  int code;
  std::string_view meaning;
};

// The "Exit codes:" table for a command's --help: its answers, then 2 and 70.
std::string exit_codes_footer(std::initializer_list<ExitAnswer> answers);

}  // namespace clearcut::cmd
