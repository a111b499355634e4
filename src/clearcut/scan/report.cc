#include <nlohmann/json.hpp>

#include "clearcut/scan/scanner.h"

namespace clearcut::scan {

namespace {

nlohmann::json finding_json(const Finding& f) {
  nlohmann::json j;
  j["asset_id"] = f.asset_id ? nlohmann::json(*f.asset_id) : nlohmann::json(nullptr);
  j["asset_name"] = f.asset_name;
  j["asset_production_id"] =
      f.asset_production_id ? nlohmann::json(*f.asset_production_id) : nlohmann::json(nullptr);
  j["asset_status"] = f.asset_status;
  j["first_frame"] = f.first_frame;
  j["last_frame"] = f.last_frame;
  j["start_timecode"] = f.start_timecode;
  j["end_timecode"] = f.end_timecode;
  j["start_seconds"] = f.start_seconds;
  j["end_seconds"] = f.end_seconds;
  j["verdict"] = verdict_name(f.verdict);
  j["reason"] = f.reason;
  nlohmann::json signals = nlohmann::json::array();
  for (const Signal& s : f.signals) {
    nlohmann::json sj{{"kind", s.kind}};
    if (!s.detail.empty())
      sj["detail"] = s.detail;
    if (s.distance >= 0)
      sj["distance"] = s.distance;
    if (s.frames > 0)
      sj["frames"] = s.frames;
    signals.push_back(std::move(sj));
  }
  j["signals"] = std::move(signals);
  return j;
}

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string signals_text(const Finding& f) {
  std::string out;
  for (const Signal& s : f.signals) {
    if (!out.empty())
      out += "; ";
    out += s.kind;
    if (s.distance >= 0)
      out += " distance " + std::to_string(s.distance);
    if (!s.detail.empty())
      out += " " + s.detail;
  }
  return out;
}

}  // namespace

std::string report_json(const ScanReport& report) {
  nlohmann::json j;
  j["schema"] = "clearcut.scan-report/1";
  j["production"] = {{"id", report.production_id}, {"code", report.production_code}};
  j["scanned_at"] = report.scanned_at;
  j["registered_assets"] = report.registered_assets;
  j["passes"] = report.passes();
  j["files_scanned"] = report.files_scanned();
  nlohmann::json files = nlohmann::json::array();
  nlohmann::json disclosure = nlohmann::json::array();
  for (const FileReport& file : report.files) {
    nlohmann::json fj;
    fj["path"] = file.path;
    fj["kind"] = file.kind;
    fj["passes"] = file.passes();
    fj["error"] = file.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(file.error);
    fj["container"] = file.container;
    fj["codec"] = file.codec;
    fj["width"] = file.width;
    fj["height"] = file.height;
    fj["frame_rate"] = file.frame_rate;
    fj["drop_frame"] = file.drop_frame;
    fj["frames_decoded"] = file.frames_decoded;
    fj["frames_hashed"] = file.frames_hashed;
    fj["frames_flat"] = file.frames_flat;
    nlohmann::json flat = nlohmann::json::array();
    for (const FrameRange& r : file.flat_ranges) {
      flat.push_back({{"first_frame", r.first_frame},
                      {"last_frame", r.last_frame},
                      {"start_timecode", r.start_timecode},
                      {"end_timecode", r.end_timecode}});
    }
    fj["flat_ranges"] = std::move(flat);
    fj["watermark_checks"] = file.watermark_checks;
    fj["unchecked"] = file.unchecked;
    nlohmann::json findings = nlohmann::json::array();
    for (const Finding& f : file.findings) {
      findings.push_back(finding_json(f));
      if (f.verdict == Verdict::kCleared) {
        nlohmann::json d = finding_json(f);
        d["path"] = file.path;
        disclosure.push_back(std::move(d));
      }
    }
    fj["findings"] = std::move(findings);
    files.push_back(std::move(fj));
  }
  j["files"] = std::move(files);
  j["disclosure"] = std::move(disclosure);
  return j.dump(2) + "\n";
}

std::string report_html(const ScanReport& report) {
  std::string h =
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>clearcut scan: " +
      escape_html(report.production_code) +
      "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.fail{color:#b00}"
      ".pass{color:#070}</style></head><body>\n";
  h += "<h1>Delivery scan: " + escape_html(report.production_code) + "</h1>\n";
  h += std::string("<p class=\"") + (report.passes() ? "pass\">PASSES" : "fail\">FAILS") +
       "</p><p>Scanned at " + escape_html(report.scanned_at) + "; " +
       std::to_string(report.files.size()) + " file(s).</p>\n";
  std::string disclosure;
  for (const FileReport& file : report.files) {
    h += "<h2>" + escape_html(file.path) + "</h2>\n";
    if (!file.error.empty())
      h += "<p class=\"fail\">Error: " + escape_html(file.error) + "</p>\n";
    for (const std::string& u : file.unchecked) {
      h += "<p>Not checked: " + escape_html(u) + "</p>\n";
    }
    if (file.findings.empty()) {
      h += "<p>No findings.</p>\n";
      continue;
    }
    h += "<table><tr><th>From</th><th>To</th><th>Asset</th><th>Verdict</th><th>Signals</th>"
         "<th>Reason</th></tr>\n";
    for (const Finding& f : file.findings) {
      std::string asset = f.asset_id ? std::to_string(*f.asset_id) + " " + f.asset_name : "-";
      std::string row = "<tr><td>" + f.start_timecode + "</td><td>" + f.end_timecode + "</td><td>" +
                        escape_html(asset) + "</td><td class=\"" +
                        (f.verdict == Verdict::kCleared ? "pass" : "fail") + "\">" +
                        std::string(verdict_name(f.verdict)) + "</td><td>" +
                        escape_html(signals_text(f)) + "</td><td>" + escape_html(f.reason) +
                        "</td></tr>\n";
      h += row;
      if (f.verdict == Verdict::kCleared) {
        disclosure += "<tr><td>" + escape_html(file.path) + "</td><td>" + f.start_timecode +
                      "</td><td>" + f.end_timecode + "</td><td>" + escape_html(asset) +
                      "</td></tr>\n";
      }
    }
    h += "</table>\n";
  }
  h += "<h2>Disclosure list</h2>\n";
  if (disclosure.empty()) {
    h += "<p>No cleared AI material.</p>\n";
  } else {
    h += "<table><tr><th>File</th><th>From</th><th>To</th><th>Asset</th></tr>\n" + disclosure +
         "</table>\n";
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace clearcut::scan
