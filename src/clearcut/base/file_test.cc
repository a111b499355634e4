#include "clearcut/base/file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace clearcut::base {
namespace {

namespace fs = std::filesystem;

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("clearcut_file_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  size_t entries() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }

  fs::path dir_;
};

TEST_F(FileTest, ReadsWhatWasWritten) {
  const std::string bytes("a\0b\nc", 5);
  ASSERT_TRUE(write_file_atomic(path("f"), bytes).has_value());
  EXPECT_EQ(read_file(path("f")).value(), bytes);
  EXPECT_EQ(read_file_bytes(path("f")).value(), std::vector<uint8_t>(bytes.begin(), bytes.end()));
  EXPECT_EQ(entries(), 1U) << "no temporary file is left behind";
}

TEST_F(FileTest, ReadErrorsNameThePathAndWhatFailed) {
  auto missing = read_file(path("missing"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().location().file, path("missing"));
  EXPECT_NE(missing.error().message().find("cannot open"), std::string::npos);

  auto directory = read_file(dir_.string());
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(directory.error().message(), "is a directory");
}

TEST_F(FileTest, ReadKeepsToItsLimit) {
  ASSERT_TRUE(write_file_atomic(path("f"), std::string(10, 'x')).has_value());
  EXPECT_TRUE(read_file(path("f"), 10).has_value());
  auto over = read_file(path("f"), 9);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(over.error().message(), "larger than the limit of 9 bytes");
  EXPECT_EQ(over.error().location().file, path("f"));
}

TEST_F(FileTest, AtomicWriteReplacesAndSetsTheMode) {
  { std::ofstream(path("f")) << "old"; }
  ASSERT_TRUE(write_file_atomic(path("f"), std::string_view("new"), {.mode = 0600}).has_value());
  EXPECT_EQ(read_file(path("f")).value(), "new");
  struct stat info {};
  ASSERT_EQ(::stat(path("f").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
}

TEST_F(FileTest, WithoutReplaceAnExistingFileIsKept) {
  { std::ofstream(path("f")) << "old"; }
  auto status = write_file_atomic(path("f"), std::string_view("new"), {.replace = false});
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(read_file(path("f")).value(), "old");
  EXPECT_EQ(entries(), 1U);
  EXPECT_TRUE(
      write_file_atomic(path("g"), std::string_view("new"), {.replace = false}).has_value());
}

TEST_F(FileTest, AnUncommittedStagedFileLeavesNothing) {
  {
    StagedFile staged = StagedFile::create(path("f")).value();
    ASSERT_TRUE(staged.write(std::string_view("partial")).has_value());
    ASSERT_TRUE(staged.sync().has_value());
    EXPECT_EQ(read_file(staged.temp_path()).value(), "partial");
    EXPECT_EQ(fs::path(staged.temp_path()).parent_path(), dir_);
  }
  EXPECT_EQ(entries(), 0U);
}

TEST_F(FileTest, StagingInAMissingDirectoryFails) {
  auto staged = StagedFile::create(path("no/such/dir/f"));
  ASSERT_FALSE(staged.has_value());
  EXPECT_EQ(staged.error().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace clearcut::base
