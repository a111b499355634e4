// Crash safety of `clearcut serve` on SQLite: writers stream comments and new use cases, the
// server is SIGKILLed mid-stream, and every write that got a 2xx answer must be there after a
// restart, with an audit log that `clearcut audit verify` accepts, before and after the
// restarted service signs a checkpoint over it.

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/api_fixture.h"
#include "tests/api/child_process.h"
#include "tests/api/http_client.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace clearcut::apitest {
namespace {

using nlohmann::json;

class CrashSafetyTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("clearcut_api_crash_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = "sqlite:" + (dir_ / "clearcut.db").string();
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<ChildProcess> start_server(bool demo) {
    std::vector<std::string> argv = {CLEARCUT_BINARY,     "serve", "--db", db_, "--port", "0",
                                     "--handler-threads", "4"};
    if (demo) {
      argv.push_back("--demo");
    }
    std::string error;
    std::unique_ptr<ChildProcess> child = ChildProcess::spawn(argv, &error);
    EXPECT_NE(child, nullptr) << error;
    if (child != nullptr) {
      port_ = child->wait_for_port(60);
      EXPECT_NE(port_, 0) << child->output();
    }
    return child;
  }

  CommandResult verify() { return run_command({CLEARCUT_BINARY, "audit", "verify", "--db", db_}); }

  std::filesystem::path dir_;
  std::string db_;
  uint16_t port_ = 0;
};

struct Writer {
  std::vector<std::string> comments;   // bodies answered 201
  std::vector<std::string> summaries;  // use cases answered 201
  int failures_before_kill = 0;
};

TEST_P(CrashSafetyTest, EveryAcknowledgedWriteSurvivesSigkill) {
  std::unique_ptr<ChildProcess> server = start_server(true);
  ASSERT_NE(port_, 0);
  HttpAnswer login =
      http_request(port_, "POST", "/api/v1/session",
                   R"({"email":"partner@vendor.example","password":"clearcut-demo"})");
  ASSERT_EQ(login.status, 201) << login.body << login.error;
  std::string cookie = login.header("Set-Cookie").value_or("");
  cookie = cookie.substr(0, cookie.find(';'));
  std::string csrf = login.json().value("csrf_token", "");
  Headers auth = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};

  // Three writers, each alternating a comment and a new use case, until the server dies.
  constexpr int kWriters = 3;
  std::vector<Writer> writers(kWriters);
  std::atomic<int> acknowledged{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> threads;
  uint16_t port = port_;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Writer& mine = writers[w];
      for (int i = 0;; ++i) {
        std::string tag = "writer " + std::to_string(w) + " write " + std::to_string(i);
        HttpAnswer answer;
        if (i % 2 == 0) {
          answer = http_request(port, "POST", "/api/v1/use-cases/1/comments",
                                json{{"body", tag}}.dump(), auth);
        } else {
          answer = http_request(
              port, "POST", "/api/v1/productions/1/use-cases",
              json{{"declaration", notify_declaration(tag)}, {"submit", true}}.dump(), auth);
        }
        if (answer.status == 201) {
          (i % 2 == 0 ? mine.comments : mine.summaries).push_back(tag);
          ++acknowledged;
        } else if (killed) {
          return;  // the server is gone: this write may or may not have landed
        } else {
          ++mine.failures_before_kill;
          if (mine.failures_before_kill > 3) {
            return;
          }
        }
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (acknowledged < 90 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  killed = true;
  int status = server->kill_and_wait(SIGKILL);
  for (std::thread& t : threads) {
    t.join();
  }
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  std::set<std::string> comments;
  std::set<std::string> summaries;
  for (const Writer& w : writers) {
    EXPECT_EQ(w.failures_before_kill, 0);
    comments.insert(w.comments.begin(), w.comments.end());
    summaries.insert(w.summaries.begin(), w.summaries.end());
  }
  ASSERT_GE(comments.size() + summaries.size(), 90u);

  // The log as the crash left it verifies: what no checkpoint covers yet is not an error.
  CommandResult crashed = verify();
  EXPECT_EQ(crashed.exit_code, 0) << crashed.output;

  // After a restart every acknowledged write is there; the session survived too.
  server = start_server(false);
  ASSERT_NE(port_, 0);
  HttpAnswer use_case = http_request(port_, "GET", "/api/v1/use-cases/1", {}, auth);
  ASSERT_EQ(use_case.status, 200) << use_case.body;
  std::set<std::string> stored_comments;
  json use_case_body = use_case.json();
  for (const json& c : use_case_body.at("comments")) {
    stored_comments.insert(c.value("body", ""));
  }
  for (const std::string& c : comments) {
    EXPECT_TRUE(stored_comments.count(c)) << "lost comment: " << c;
  }
  std::set<std::string> stored_summaries;
  for (std::string after = "0";;) {
    HttpAnswer page = http_request(
        port_, "GET", "/api/v1/productions/1/use-cases?limit=200&after=" + after, {}, auth);
    ASSERT_EQ(page.status, 200) << page.body;
    json page_body = page.json();
    for (const json& u : page_body.at("items")) {
      stored_summaries.insert(u.value("summary", ""));
      // A use case created with submit=true is never seen half-made.
      if (u.value("summary", "").rfind("writer ", 0) == 0) {
        EXPECT_EQ(u.value("state", ""), "notified") << u.dump();
      }
    }
    if (page.json().at("next_after").is_null()) {
      break;
    }
    after = std::to_string(page.json().at("next_after").get<int64_t>());
  }
  for (const std::string& s : summaries) {
    EXPECT_TRUE(stored_summaries.count(s)) << "lost use case: " << s;
  }

  // A checkpoint signed after the restart covers the whole log, and verify agrees.
  HttpAnswer checkpoint = http_request(port_, "GET", "/api/v1/audit/checkpoint", {}, auth);
  ASSERT_EQ(checkpoint.status, 200) << checkpoint.body;
  size_t first = checkpoint.body.find('\n');
  std::string size =
      checkpoint.body.substr(first + 1, checkpoint.body.find('\n', first + 1) - first - 1);
  server->kill_and_wait(SIGTERM);
  CommandResult verified = verify();
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("audit log OK: " + size + " events"), std::string::npos)
      << verified.output;
  EXPECT_NE(verified.output.find(size + " events covered by the latest checkpoint"),
            std::string::npos)
      << verified.output;
}

INSTANTIATE_TEST_SUITE_P(api, CrashSafetyTest, testing::Values(Backend::kSqlite), backend_name);

}  // namespace
}  // namespace clearcut::apitest
