#include "clearcut/api/http/http_request.h"

#include <gtest/gtest.h>

#include "clearcut/api/http/http_response.h"

namespace clearcut::http {
namespace {

TEST(HttpRequestTest, HeaderLookupIgnoresCase) {
  HttpRequest request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Trace", "a"}, {"x-trace", "b"}};
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("X-TRACE"), "a");  // the first of repeated fields
  EXPECT_FALSE(request.header("Authorization").has_value());
}

TEST(HttpRequestTest, QueryParamDecodes) {
  HttpRequest request;
  request.query = "state=open&title=The%20Crown&who=a+b&flag&empty=&use%5Fcase=7&bad=%zz%4";
  EXPECT_EQ(request.query_param("state"), "open");
  EXPECT_EQ(request.query_param("title"), "The Crown");
  EXPECT_EQ(request.query_param("who"), "a b");
  EXPECT_EQ(request.query_param("flag"), "");
  EXPECT_EQ(request.query_param("empty"), "");
  EXPECT_EQ(request.query_param("use_case"), "7");
  EXPECT_EQ(request.query_param("bad"), "%zz%4");
  EXPECT_FALSE(request.query_param("missing").has_value());
  EXPECT_FALSE(request.query_param("stat").has_value());
}

TEST(HttpRequestTest, SplitTarget) {
  std::string path;
  std::string query;
  split_target("/v1/use-cases?state=open", path, query);
  EXPECT_EQ(path, "/v1/use-cases");
  EXPECT_EQ(query, "state=open");
  split_target("/v1/assets", path, query);
  EXPECT_EQ(path, "/v1/assets");
  EXPECT_EQ(query, "");
  split_target("http://example.com:8080/v1/x?y=1", path, query);
  EXPECT_EQ(path, "/v1/x");
  EXPECT_EQ(query, "y=1");
  split_target("http://example.com", path, query);
  EXPECT_EQ(path, "/");
  split_target("*", path, query);
  EXPECT_EQ(path, "*");
  split_target("/a%2Fb?", path, query);
  EXPECT_EQ(path, "/a%2Fb");  // left encoded: a route decides what %2F means
  EXPECT_EQ(query, "");
}

TEST(HttpResponseTest, ErrorBodyIsEscapedJson) {
  const HttpResponse response = HttpResponse::error(400, "invalid_argument", "bad \"x\"\n");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, R"({"code":"invalid_argument","message":"bad \"x\"\n"})");
  EXPECT_EQ(response.content_type, "application/json");
}

TEST(HttpResponseTest, SetHeaderReplacesIgnoringCase) {
  HttpResponse response;
  response.headers = {{"cache-control", "no-store"}, {"X-A", "1"}};
  response.set_header("Cache-Control", "max-age=60");
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.header("CACHE-CONTROL"), "max-age=60");
}

}  // namespace
}  // namespace clearcut::http
