#include "clearcut/blob/blob_store.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "clearcut/base/file.h"

namespace clearcut::blob {
namespace {

namespace fs = std::filesystem;

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("clearcut_blob_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every file under the blob directory, temporary ones included.
  size_t files() const {
    size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      n += entry.is_regular_file() ? 1 : 0;
    }
    return n;
  }

  fs::path dir_;
};

constexpr const char* kHelloSha256 =
    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

TEST_F(BlobStoreTest, KeepsTheSameBytesOnce) {
  BlobStore store = BlobStore::open(dir_.string()).value();
  EXPECT_EQ(store.put("hello").value(), kHelloSha256);
  EXPECT_EQ(store.put("hello").value(), kHelloSha256);
  EXPECT_EQ(files(), 1U);
  EXPECT_EQ(store.path_of(kHelloSha256), dir_.string() + "/2c/" + kHelloSha256);
  EXPECT_TRUE(store.contains(kHelloSha256));
  EXPECT_EQ(store.get(kHelloSha256).value(), "hello");
  EXPECT_EQ(store.put(std::string("a\0b", 3)).value().size(), 64U);
  EXPECT_EQ(files(), 2U);
}

TEST_F(BlobStoreTest, AnswersForWhatItDoesNotHold) {
  BlobStore store = BlobStore::open(dir_.string()).value();
  EXPECT_EQ(store.get(std::string(64, 'a')).error().code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(store.get("../../etc/passwd").error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(store.contains("../x"));
}

TEST_F(BlobStoreTest, AChangedFileIsDataLoss) {
  BlobStore store = BlobStore::open(dir_.string()).value();
  ASSERT_TRUE(store.put("hello").has_value());
  ASSERT_TRUE(base::write_file_atomic(store.path_of(kHelloSha256), "jello").has_value());
  EXPECT_EQ(store.get(kHelloSha256).error().code(), base::ErrorCode::kDataLoss);
}

TEST_F(BlobStoreTest, AFailedWriteLeavesNoTemporaryFile) {
  BlobStore store = BlobStore::open(dir_.string()).value();
  // The destination is taken by a folder, so the rename into place fails.
  fs::create_directories(store.path_of(kHelloSha256) + "/in-the-way");
  auto put = store.put("hello");
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(files(), 0U) << "the temporary file was removed";
  EXPECT_FALSE(store.contains(kHelloSha256));
}

TEST_F(BlobStoreTest, DefaultDirectorySitsBesideTheDatabase) {
  EXPECT_EQ(default_blob_dir("sqlite:/var/lib/clearcut/clearcut.db"),
            "/var/lib/clearcut/clearcut.db.blobs");
  EXPECT_EQ(default_blob_dir("data/c.db"), "data/c.db.blobs");
  EXPECT_EQ(default_blob_dir("postgresql://db/clearcut"), "clearcut-blobs");
}

TEST_F(BlobStoreTest, TheFirstPutCreatesTheDirectory) {
  BlobStore store = BlobStore::open((dir_ / "a" / "b").string()).value();
  EXPECT_FALSE(fs::exists(dir_ / "a"));
  EXPECT_FALSE(store.contains(kHelloSha256));
  ASSERT_TRUE(store.put("hello").has_value());
  EXPECT_TRUE(fs::is_regular_file(dir_ / "a" / "b" / "2c" / kHelloSha256));
  EXPECT_FALSE(BlobStore::open("").has_value());
  fs::create_directories(dir_);
  ASSERT_TRUE(base::write_file_atomic((dir_ / "file").string(), "x").has_value());
  EXPECT_EQ(BlobStore::open((dir_ / "file").string()).error().code(),
            base::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace clearcut::blob
