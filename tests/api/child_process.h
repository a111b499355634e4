#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace clearcut::apitest {

struct CommandResult {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string output;  // stdout and stderr, interleaved as written
};

// Runs `argv` (argv[0] a path) to completion and collects its output.
CommandResult run_command(const std::vector<std::string>& argv);

// A child process whose stdout and stderr a thread collects, so that it never blocks on a full
// pipe. The destructor SIGKILLs it if it still runs, and reaps it.
class ChildProcess {
 public:
  // Starts `argv`; nullptr (with `error` set) when it cannot be spawned.
  static std::unique_ptr<ChildProcess> spawn(const std::vector<std::string>& argv,
                                             std::string* error);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to `seconds` for `clearcut serve` to print "clearcut serving on
  // http://ADDRESS:PORT/"; the port, or 0 when it exited or timed out first.
  uint16_t wait_for_port(int seconds);
  // Sends `signal` and reaps the process; returns the wait status.
  int kill_and_wait(int signal);
  std::string output() const;
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int fd);

  pid_t pid_;
  int fd_;
  bool reaped_ = false;
  mutable std::mutex mu_;
  std::string output_;   // guarded by mu_
  bool closed_ = false;  // guarded by mu_: the pipe reached end of file
  std::thread reader_;
};

}  // namespace clearcut::apitest
