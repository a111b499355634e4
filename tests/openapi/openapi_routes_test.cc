// docs/openapi.json and the ApiServer's router describe the same API: the same operations, the
// same public/authenticated split, and the binary serves the document as it is in the tree. A
// route added without its documentation (or the reverse) fails here.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/api/http/http_request.h"
#include "clearcut/app/service.h"
#include "clearcut/base/embedded.h"

namespace clearcut {
namespace {

constexpr const char* kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options"};

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(CLEARCUT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += "\n  " + item;
  }
  return out;
}

class OpenApiRoutesTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("clearcut_openapi_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    app::ServiceConfig config;
    config.db = "sqlite:" + (dir_ / "cc.db").string();
    auto service = app::Service::open(config);
    ASSERT_TRUE(service.has_value()) << service.error().to_string();
    service_ = std::move(service).value();

    std::string text = read_source_file("docs/openapi.json");
    ASSERT_FALSE(text.empty()) << "cannot read docs/openapi.json";
    document_ = nlohmann::json::parse(text, nullptr, false);
    ASSERT_FALSE(document_.is_discarded()) << "docs/openapi.json is not JSON";
    ASSERT_TRUE(document_.contains("servers") && !document_["servers"].empty());
    prefix_ = document_["servers"][0]["url"].get<std::string>();
    ASSERT_EQ(prefix_, "/api/v1");
  }

  void TearDown() override {
    service_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // "GET /api/v1/productions/{production}/use-cases" → whether the document lists a security
  // requirement for it (false: public).
  std::map<std::string, bool> documented_operations() const {
    std::map<std::string, bool> out;
    bool secured_by_default = !document_.value("security", nlohmann::json::array()).empty();
    for (const auto& [path, item] : document_["paths"].items()) {
      for (const char* method : kMethods) {
        if (!item.contains(method)) {
          continue;
        }
        const nlohmann::json& op = item[method];
        bool secured = op.contains("security") ? !op["security"].empty() : secured_by_default;
        out[upper(method) + " " + prefix_ + path] = secured;
      }
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<app::Service> service_;
  nlohmann::json document_;
  std::string prefix_;
};

TEST_F(OpenApiRoutesTest, EveryRouteIsDocumentedAndNothingElse) {
  std::vector<std::string> routes = service_->api().routes();
  std::set<std::string> in_router(routes.begin(), routes.end());
  EXPECT_EQ(in_router.size(), routes.size()) << "the router registers a route twice";

  std::set<std::string> in_document;
  for (const auto& [operation, secured] : documented_operations()) {
    in_document.insert(operation);
  }
  std::set<std::string> undocumented;
  std::set<std::string> unrouted;
  for (const std::string& r : in_router) {
    if (!in_document.count(r)) {
      undocumented.insert(r);
    }
  }
  for (const std::string& d : in_document) {
    if (!in_router.count(d)) {
      unrouted.insert(d);
    }
  }
  EXPECT_TRUE(undocumented.empty())
      << "routes missing from docs/openapi.json:" << join(undocumented);
  EXPECT_TRUE(unrouted.empty()) << "operations in docs/openapi.json that no route serves:"
                                << join(unrouted);
}

// Each documented operation, asked without credentials, answers 401 exactly when the document
// gives it a security requirement.
TEST_F(OpenApiRoutesTest, SecurityMatchesAuthentication) {
  for (const auto& [operation, secured] : documented_operations()) {
    size_t space = operation.find(' ');
    http::HttpRequest request;
    request.method = operation.substr(0, space);
    request.path = operation.substr(space + 1);
    // Any value reaches the handler's authentication check; ids that exist are not needed.
    for (size_t open; (open = request.path.find('{')) != std::string::npos;) {
      request.path.replace(open, request.path.find('}', open) - open + 1, "1");
    }
    request.target = request.path;
    request.remote_address = "127.0.0.1";
    http::HttpResponse response = service_->api().handle(request);
    if (secured) {
      EXPECT_EQ(response.status, 401) << operation << " is documented as authenticated";
    } else {
      EXPECT_NE(response.status, 401) << operation << " is documented as public";
      // Routed: a 404 may only be the handler's own (single sign-on, not configured here,
      // says so), never the router's "no such endpoint".
      EXPECT_EQ(response.body.find("no such endpoint"), std::string::npos) << operation;
      EXPECT_NE(response.status, 405) << operation;
    }
  }
}

// The binary embeds docs/openapi.json at build time and serves it unchanged.
TEST_F(OpenApiRoutesTest, ServesTheDocumentInTheTree) {
  http::HttpRequest request;
  request.method = "GET";
  request.path = request.target = "/api/v1/openapi.json";
  http::HttpResponse response = service_->api().handle(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, read_source_file("docs/openapi.json"))
      << "the embedded document is stale: rebuild";
}

}  // namespace
}  // namespace clearcut
