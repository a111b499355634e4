#include "clearcut/net/transport.h"

#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>

namespace clearcut::net {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Curl = std::unique_ptr<CURL, CurlDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;

base::Result<Curl> new_handle() {
  static std::once_flag once;
  // curl_global_init is not thread-safe; every handle comes through here.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Curl curl(curl_easy_init());
  if (curl == nullptr) {
    return base::Error(base::ErrorCode::kResourceExhausted, "cannot create a libcurl handle");
  }
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  return curl;
}

struct Upload {
  const std::string* text;
  size_t at = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->text->size() - upload->at);
  std::memcpy(buffer, upload->text->data() + upload->at, n);
  upload->at += n;
  return n;
}

struct Download {
  std::string* text;
  size_t limit;
  bool overflow = false;
};

size_t keep(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  size_t n = size * count;
  if (download->text->size() + n > download->limit) {
    download->overflow = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  download->text->append(data, n);
  return n;
}

// The headers as a libcurl list; nullptr when there are none.
base::Result<List> header_list(const std::vector<std::pair<std::string, std::string>>& headers) {
  List list;
  for (const auto& [name, value] : headers) {
    curl_slist* grown = curl_slist_append(list.get(), (name + ": " + value).c_str());
    if (grown == nullptr) {
      return base::Error(base::ErrorCode::kResourceExhausted, "cannot build request headers");
    }
    (void)list.release();
    list.reset(grown);
  }
  return list;
}

base::Status perform(CURL* curl, const std::string& what, const char* error_buffer) {
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return base::Error(base::ErrorCode::kUnavailable, what + ": " + detail);
  }
  return {};
}

}  // namespace

base::Status send_mail(const SmtpOptions& smtp, const std::string& to, const std::string& message) {
  Curl curl = CC_TRY(new_handle());
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, smtp.url.c_str());
  if (!smtp.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, smtp.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, smtp.password.c_str());
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  } else {
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  }
  std::string from = "<" + smtp.from + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  List recipients(curl_slist_append(nullptr, ("<" + to + ">").c_str()));
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  Upload upload{&message};
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(smtp.timeout.count()));
  return perform(c, "SMTP to " + to, error);
}

base::Status post(const std::string& url,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body, std::chrono::milliseconds timeout) {
  // The receiver's answer is read (to 64 KiB) and dropped: only its status counts.
  HttpReply reply = CC_TRY(fetch("POST", url, headers, body, {timeout, 64 * 1024}));
  if (reply.status < 200 || reply.status > 299) {
    return base::Error(base::ErrorCode::kUnavailable,
                       "POST " + url + ": the receiver answered " + std::to_string(reply.status));
  }
  return {};
}

base::Result<HttpReply> fetch(const std::string& method, const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, const FetchLimits& limits) {
  Curl curl = CC_TRY(new_handle());
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  List list = CC_TRY(header_list(headers));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else if (method != "GET") {
    return base::invalid_argument("fetch: expected GET or POST, not " + method);
  }
  HttpReply reply;
  Download download{&reply.body, limits.max_body};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()));
  base::Status done = perform(c, method + " " + url, error);
  if (download.overflow) {
    return base::Error(
        base::ErrorCode::kUnavailable,
        method + " " + url + ": the reply is over " + std::to_string(limits.max_body) + " bytes");
  }
  CC_TRY(done);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  char* type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) {
    reply.content_type = type;
  }
  return reply;
}

}  // namespace clearcut::net
