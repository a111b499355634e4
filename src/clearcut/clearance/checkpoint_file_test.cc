#include "clearcut/clearance/checkpoint_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace clearcut::clearance {
namespace {

namespace fs = std::filesystem;

class CheckpointFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("clearcut_checkpoint_file_" + std::to_string(::getpid()) + "_" +
             testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove(path_);
  }
  void TearDown() override { fs::remove(path_); }
  fs::path path_;
};

TEST_F(CheckpointFileTest, AppendsLinesThatReadBack) {
  ASSERT_TRUE(append_checkpoint_file(
                  path_, {0, 3, "0a1b2c3d", "2026-12-01T00:00:00Z", "log\n3\nAAAA\n\n— log abc\n"})
                  .has_value());
  ASSERT_TRUE(
      append_checkpoint_file(path_, {0, 7, "0a1b2c3d", "2026-12-01T00:01:00Z", "n2"}).has_value());
  auto entries = read_checkpoint_file(path_);
  ASSERT_TRUE(entries.has_value()) << entries.error().to_string();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].line, 1);
  EXPECT_EQ((*entries)[0].tree_size, 3u);
  EXPECT_EQ((*entries)[0].note, "log\n3\nAAAA\n\n— log abc\n");
  EXPECT_EQ((*entries)[1].line, 2);
  EXPECT_EQ((*entries)[1].key_id, "0a1b2c3d");
  EXPECT_EQ((*entries)[1].created_at, "2026-12-01T00:01:00Z");
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(CheckpointFileTest, ATornLastLineIsIgnored) {
  ASSERT_TRUE(append_checkpoint_file(path_, {0, 3, "", "", "n1"}).has_value());
  { std::ofstream(path_, std::ios::app) << R"({"tree_size":9,"no)"; }
  auto entries = read_checkpoint_file(path_);
  ASSERT_TRUE(entries.has_value()) << entries.error().to_string();
  EXPECT_EQ(entries->size(), 1u);
}

TEST_F(CheckpointFileTest, ABadLineIsNamedByFileAndLine) {
  ASSERT_TRUE(append_checkpoint_file(path_, {0, 3, "", "", "n1"}).has_value());
  { std::ofstream(path_, std::ios::app) << "{\"tree_size\":-1,\"note\":\"x\"}\n"; }
  auto entries = read_checkpoint_file(path_);
  ASSERT_FALSE(entries.has_value());
  EXPECT_EQ(entries.error().code(), base::ErrorCode::kInvalidArgument);
  std::string text = entries.error().to_string();
  EXPECT_NE(text.find(path_.string()), std::string::npos) << text;
  EXPECT_NE(text.find(":2"), std::string::npos) << text;
  EXPECT_NE(text.find("tree_size"), std::string::npos) << text;
}

TEST_F(CheckpointFileTest, AMissingFileIsNotFound) {
  auto entries = read_checkpoint_file(path_);
  ASSERT_FALSE(entries.has_value());
  EXPECT_EQ(entries.error().code(), base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace clearcut::clearance
