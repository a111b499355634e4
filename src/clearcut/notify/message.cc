#include "clearcut/notify/message.h"

#include <ctime>

#include <nlohmann/json.hpp>

#include "clearcut/base/base64.h"
#include "clearcut/base/hex.h"
#include "clearcut/base/text.h"
#include "clearcut/crypto/hmac.h"

namespace clearcut::notify {
namespace {

using nlohmann::json;

base::Result<json> payload_of(const domain::Notification& n) {
  json payload = json::parse(n.payload_json, nullptr, false);
  if (!payload.is_object()) {
    return base::Error(base::ErrorCode::kDataLoss,
                       "notification " + std::to_string(n.id) + " has no JSON object payload");
  }
  return payload;
}

std::string text_of(const json& payload, const char* key) {
  return payload.contains(key) && payload[key].is_string() ? payload[key].get<std::string>() : "";
}

// A header value on one line: CR and LF (header injection) become spaces.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') {
      c = ' ';
    }
  }
  return text;
}

// RFC 2047 encoded-word when the text is not plain ASCII.
std::string header_text(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) {
      const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
      return "=?UTF-8?B?" + base::base64_encode({bytes, text.size()}) + "?=";
    }
  }
  return text;
}

// CRLF line ends, as SMTP wants them.
std::string crlf(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
      out += '\r';
    }
    out += text[i];
  }
  return out;
}

std::string domain_of(const std::string& address) {
  size_t at = address.rfind('@');
  std::string domain = at == std::string::npos ? "clearcut.local" : address.substr(at + 1);
  while (!domain.empty() && domain.back() == '>') {
    domain.pop_back();
  }
  return domain.empty() ? "clearcut.local" : domain;
}

}  // namespace

std::string webhook_signature(std::string_view secret, int64_t unix_seconds,
                              std::string_view body) {
  std::string t = std::to_string(unix_seconds);
  std::string signed_text = t + "." + std::string(body);
  return "t=" + t + ",v1=" + base::to_hex(crypto::hmac_sha256(secret, signed_text));
}

base::Result<WebhookRequest> render_webhook(const domain::Notification& n,
                                            const domain::Webhook& webhook,
                                            const std::string& base_url, int64_t unix_seconds) {
  json payload = CC_TRY(payload_of(n));
  std::string link = base_url + text_of(payload, "path");
  json body;
  if (webhook.format == "slack") {
    body = {{"text", text_of(payload, "what") + "\n" + text_of(payload, "todo") + "\n<" + link +
                         "|Open in clearcut>"}};
  } else {
    body = {{"delivery_id", n.idempotency_key},
            {"event", n.event_action},
            {"production", payload.value("production", json(nullptr))},
            {"use_case", payload.value("use_case", json(nullptr))},
            {"subject", payload.value("subject", json(nullptr))},
            {"actor", payload.value("actor", json(nullptr))},
            {"time", payload.value("time", json(nullptr))},
            {"what", text_of(payload, "what")},
            {"todo", text_of(payload, "todo")},
            {"link", link}};
  }
  WebhookRequest request;
  request.body = body.dump();
  request.headers = {
      {"Content-Type", "application/json"},
      {"User-Agent", "clearcut-webhook/1"},
      {"X-Clearcut-Delivery", n.idempotency_key},
      {"X-Clearcut-Event", n.event_action},
      {"X-Clearcut-Signature", webhook_signature(webhook.secret, unix_seconds, request.body)}};
  return request;
}

base::Result<std::string> render_email(const domain::Notification& n, const std::string& from,
                                       const std::string& base_url, const std::string& date) {
  json payload = CC_TRY(payload_of(n));
  std::string what = text_of(payload, "what");
  std::string todo = text_of(payload, "todo");
  std::string link = base_url + text_of(payload, "path");
  std::string code;
  if (payload.contains("production") && payload["production"].is_object()) {
    code = payload["production"].value("code", "");
  }
  std::string subject = what.size() > 110 ? what.substr(0, 107) + "..." : what;
  size_t end = subject.find(". ");
  if (end != std::string::npos) {
    subject.resize(end + 1);
  }
  if (!code.empty()) {
    subject = "[" + code + "] " + subject;
  }
  std::string footer = text_of(payload, "footer");
  if (footer.empty()) {
    footer = "clearcut sent this because of your role on the production.";
  }
  // A digest lists its items, each as an e-mail of its own would say it.
  std::string plain_items;
  std::string html_items;
  if (payload.contains("items") && payload["items"].is_array()) {
    for (const json& item : payload["items"]) {
      if (!item.is_object()) {
        continue;
      }
      std::string item_code;
      if (item.contains("production") && item["production"].is_object()) {
        item_code = item["production"].value("code", "");
      }
      std::string prefix = item_code.empty() ? "" : "[" + item_code + "] ";
      std::string item_link = base_url + text_of(item, "path");
      plain_items += "\n* " + prefix + text_of(item, "what") + "\n  " + text_of(item, "todo") +
                     "\n  " + item_link + "\n";
      html_items += "<li><p>" + base::html_escape(prefix + text_of(item, "what")) + "<br>" +
                    base::html_escape(text_of(item, "todo")) + " <a href=\"" +
                    base::html_escape(item_link) + "\">Open it</a></p></li>";
    }
  }
  std::string boundary = "=_clearcut_" + n.idempotency_key;
  std::string plain = "What happened\n" + what + "\n" + plain_items + "\nWhat you need to do\n" +
                      todo + "\n\nOpen it: " + link + "\n\n-- \n" + footer + "\n";
  std::string html =
      "<!doctype html><html><body style=\"font-family:sans-serif\">"
      "<h3>What happened</h3><p>" +
      base::html_escape(what) + "</p>" + (html_items.empty() ? "" : "<ul>" + html_items + "</ul>") +
      "<h3>What you need to do</h3><p>" + base::html_escape(todo) + "</p><p><a href=\"" +
      base::html_escape(link) +
      "\">Open it in clearcut</a></p><p style=\"color:#666;font-size:small\">" +
      base::html_escape(footer) + "</p></body></html>\n";
  std::string message =
      "From: " + one_line(from) + "\nTo: " + one_line(n.address) +
      "\nSubject: " + header_text(one_line(subject)) + "\nDate: " + date + "\nMessage-ID: <" +
      n.idempotency_key + "@" + domain_of(from) + ">\nX-Clearcut-Delivery: " + n.idempotency_key +
      "\nX-Clearcut-Event: " + n.event_action +
      "\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"" + boundary +
      "\"\n\n--" + boundary +
      "\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + plain +
      "\n--" + boundary +
      "\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + html +
      "\n--" + boundary + "--\n";
  return crlf(message);
}

std::string rfc5322_date(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return text;
}

}  // namespace clearcut::notify
