#include "clearcut/api/http/request_reader.h"

#include <gtest/gtest.h>

namespace clearcut::http {
namespace {

RawRequest read(std::string_view bytes) {
  return read_raw_request(bytes, 16 << 10, 1 << 20);
}

TEST(RequestReaderTest, ReadsOneRequestAndSaysWhereTheNextStarts) {
  const std::string first = "POST /a?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc";
  RawRequest r = read(first + "GET /b HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(r.request);
  EXPECT_EQ(r.request->method, "POST");
  EXPECT_EQ(r.request->path, "/a");
  EXPECT_EQ(r.request->query, "x=1");
  EXPECT_EQ(r.request->body, "abc");
  EXPECT_EQ(r.consumed, first.size());
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestReaderTest, ChunkedBodiesAreDecoded) {
  RawRequest r = read(
      "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n");
  ASSERT_TRUE(r.request);
  EXPECT_EQ(r.request->body, "abc");
}

TEST(RequestReaderTest, UnframeableRequestsGetTheServersAnswer) {
  for (const char* bad : {
           "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\n\r\n",
           "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
           "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
           "chunked\r\n\r\n0\r\n\r\n",
           "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
           "GET / HTTP/1.1\r\n\r\n",
           "this is not http\r\n\r\n",
       }) {
    RawRequest r = read(bad);
    EXPECT_FALSE(r.request) << bad;
    EXPECT_EQ(r.status, 400) << bad;
  }
  EXPECT_EQ(read("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 9999999\r\n\r\n").status, 413);
}

TEST(RequestReaderTest, IncompleteInputIsNeitherARequestNorAnError) {
  RawRequest r = read("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_FALSE(r.request);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(read("GET / HT").status, 0);
}

}  // namespace
}  // namespace clearcut::http
