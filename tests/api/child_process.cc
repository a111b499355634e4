#include "tests/api/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>

#include <sys/wait.h>

extern char** environ;

namespace clearcut::apitest {
namespace {

pid_t spawn_with_pipe(const std::vector<std::string>& argv, int* read_fd, std::string* error) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    *error = "posix_spawn " + argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  *read_fd = fds[0];
  return pid;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv) {
  CommandResult result;
  int fd = -1;
  pid_t pid = spawn_with_pipe(argv, &fd, &result.output);
  if (pid < 0) {
    return result;
  }
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    result.output.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::unique_ptr<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv,
                                                  std::string* error) {
  int fd = -1;
  pid_t pid = spawn_with_pipe(argv, &fd, error);
  if (pid < 0) {
    return nullptr;
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, fd));
}

ChildProcess::ChildProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {
  reader_ = std::thread([this] {
    char buffer[4096];
    for (;;) {
      ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      std::lock_guard lock(mu_);
      if (n <= 0) {
        closed_ = true;
        return;
      }
      output_.append(buffer, static_cast<size_t>(n));
    }
  });
}

ChildProcess::~ChildProcess() {
  if (!reaped_) {
    kill_and_wait(SIGKILL);
  }
  reader_.join();
  ::close(fd_);
}

uint16_t ChildProcess::wait_for_port(int seconds) {
  const std::string marker = "clearcut serving on http://";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      size_t at = output_.find(marker);
      size_t end = at == std::string::npos ? at : output_.find('/', at + marker.size());
      if (end != std::string::npos) {
        size_t colon = output_.rfind(':', end);
        unsigned port = 0;
        auto [ptr, ec] = std::from_chars(output_.data() + colon + 1, output_.data() + end, port);
        return ec == std::errc() && ptr == output_.data() + end && port < 65536
                   ? static_cast<uint16_t>(port)
                   : 0;
      }
      if (closed_) {
        return 0;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

int ChildProcess::kill_and_wait(int signal) {
  int status = 0;
  if (reaped_) {
    return status;
  }
  ::kill(pid_, signal);
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

std::string ChildProcess::output() const {
  std::lock_guard lock(mu_);
  return output_;
}

}  // namespace clearcut::apitest
