#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "clearcut/base/text.h"
#include "clearcut/scan/scanner.h"
#include "clearcut/scan/timecode.h"

namespace clearcut::scan {

namespace {

nlohmann::json or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json signals_json(const std::vector<Signal>& list) {
  nlohmann::json signals = nlohmann::json::array();
  for (const Signal& s : list) {
    nlohmann::json sj{{"kind", s.kind}};
    if (!s.detail.empty()) {
      sj["detail"] = s.detail;
    }
    if (s.distance >= 0) {
      sj["distance"] = s.distance;
    }
    if (s.frames > 0) {
      sj["frames"] = s.frames;
    }
    signals.push_back(std::move(sj));
  }
  return signals;
}

// Where in the file a finding lies: frames, SMPTE timecodes and seconds.
void put_span(nlohmann::json& j, const Finding& f) {
  j["track"] = f.track;
  if (f.audio_stream >= 0) {
    j["audio_stream"] = f.audio_stream;
  }
  j["first_frame"] = f.first_frame;
  j["last_frame"] = f.last_frame;
  j["start_timecode"] = f.start_timecode;
  j["end_timecode"] = f.end_timecode;
  j["start_seconds"] = f.start_seconds;
  j["end_seconds"] = f.end_seconds;
}

// Only what the scanning production may see: a match to another production's asset keeps its
// verdict, times and signal kinds, never the ForeignMatch.
nlohmann::json finding_json(const Finding& f) {
  nlohmann::json j;
  j["asset_id"] = f.asset_id ? nlohmann::json(*f.asset_id) : nlohmann::json(nullptr);
  j["asset_name"] = f.asset_name;
  j["asset_production_id"] =
      f.asset_production_id ? nlohmann::json(*f.asset_production_id) : nlohmann::json(nullptr);
  j["asset_status"] = f.asset_status;
  put_span(j, f);
  j["verdict"] = verdict_name(f.verdict);
  j["reason"] = f.reason;
  j["frame_thumbnail"] = or_null(f.frame_thumbnail);
  j["asset_thumbnail"] = or_null(f.asset_thumbnail);
  j["registered_elsewhere"] = f.elsewhere.has_value();
  j["pdq_only"] = f.pdq_only;
  j["signals"] = signals_json(f.signals);
  return j;
}

std::string signals_text(const Finding& f) {
  std::string out;
  for (const Signal& s : f.signals) {
    if (!out.empty()) {
      out += "; ";
    }
    out += s.kind;
    if (s.distance >= 0) {
      out += " distance " + std::to_string(s.distance);
    }
    if (!s.detail.empty()) {
      out += " " + s.detail;
    }
  }
  return out;
}

}  // namespace

std::vector<CrossProductionHit> cross_production_hits(const ScanReport& report) {
  std::vector<CrossProductionHit> hits;
  for (const FileReport& file : report.files) {
    for (const Finding& f : file.findings) {
      if (!f.elsewhere) {
        continue;
      }
      const ForeignMatch& m = *f.elsewhere;
      nlohmann::json j;
      j["path"] = file.path;
      j["asset_id"] = m.asset_id;
      j["asset_name"] = m.asset_name;
      j["asset_production_id"] = m.production_id;
      j["asset_status"] = m.asset_status;
      put_span(j, f);
      j["frame_thumbnail"] = or_null(f.frame_thumbnail);
      j["asset_thumbnail"] = or_null(m.asset_thumbnail);
      j["signals"] = signals_json(m.signals);
      hits.push_back(CrossProductionHit{m.production_id, m.asset_id, j.dump()});
    }
  }
  return hits;
}

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
    fj["start_timecode"] = file.start_timecode;
    fj["timecode_from"] = file.timecode_from;
    if (file.kind == "audio") {
      fj["timecode_rate_from"] = file.timecode_rate_from;
    }
    fj["variable_frame_rate"] = file.variable_frame_rate;
    fj["duration_seconds"] =
        file.duration_seconds > 0 ? nlohmann::json(file.duration_seconds) : nlohmann::json(nullptr);
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
    fj["watermark_windows"] = file.watermark_windows;
    fj["audio_watermark_streams"] = file.audio_watermark_streams;
    nlohmann::json audio = nlohmann::json::array();
    for (const AudioTrackReport& a : file.audio) {
      audio.push_back({{"stream", a.stream},
                       {"codec", a.codec},
                       {"sample_rate", a.sample_rate},
                       {"channels", a.channels},
                       {"language", a.language},
                       {"seconds", a.seconds}});
    }
    fj["audio"] = std::move(audio);
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
  nlohmann::json skipped = nlohmann::json::array();
  for (const SkippedEntry& entry : report.skipped) {
    skipped.push_back({{"path", entry.path}, {"reason", entry.reason}});
  }
  j["skipped"] = std::move(skipped);
  j["not_checked"] = report.not_checked;
  j["disclosure"] = std::move(disclosure);
  return j.dump(2) + "\n";
}

namespace {

// Presentation for report_html.

std::string fixed3(double value, const char* unit) {
  char text[48];
  std::snprintf(text, sizeof text, "%.3f%s", value, unit);
  return text;
}

// "30000/1001" -> {30000, 1001}; 25/1 (what the scanner counts stills and unknown rates at) when
// it does not parse.
media::Rational parse_rate(const std::string& text) {
  media::Rational rate{25, 1};
  const size_t slash = text.find('/');
  if (slash == std::string::npos) {
    return rate;
  }
  int num = 0;
  int den = 0;
  auto a = std::from_chars(text.data(), text.data() + slash, num);
  auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), den);
  if (a.ec == std::errc{} && b.ec == std::errc{} && num > 0 && den > 0) {
    rate = media::Rational{num, den};
  }
  return rate;
}

// Only base64 goes into a data: URI, whatever the database holds.
bool is_base64(const std::string& text) {
  return !text.empty() &&
         text.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
             std::string::npos;
}

std::string thumbnail_html(const std::string& base64, const std::string& alt) {
  if (!is_base64(base64)) {
    return "<span class=\"none\">none</span>";
  }
  return "<img src=\"data:image/jpeg;base64," + base64 + "\" alt=\"" + base::html_escape(alt) +
         "\">";
}

std::string verdict_words(Verdict verdict) {
  std::string words(verdict_name(verdict));
  std::replace(words.begin(), words.end(), '_', ' ');
  return words == "undeclared ai" ? "undeclared AI" : words;
}

std::string verdict_class(Verdict verdict) {
  return "v-" + std::string(verdict_name(verdict));
}

std::string asset_text(const Finding& f) {
  if (f.elsewhere) {
    return "registered elsewhere";
  }
  return f.asset_id ? std::to_string(*f.asset_id) + " " + f.asset_name : "-";
}

// Findings that overlap in time go on separate lanes of the timeline: the first lane free at the
// finding's start. Picture findings take the top lanes, audio findings the lanes under them, as
// an editor's timeline puts sound under picture. `picture_lanes` is how many the picture took.
std::vector<int> timeline_lanes(const std::vector<Finding>& findings, int* picture_lanes) {
  std::vector<int> lanes(findings.size(), 0);
  int first_lane = 0;
  for (const bool audio : {false, true}) {
    std::vector<double> lane_end;
    for (size_t k = 0; k < findings.size(); ++k) {
      const Finding& f = findings[k];
      if ((f.track == "audio") != audio) {
        continue;
      }
      size_t lane = 0;
      while (lane < lane_end.size() && lane_end[lane] > f.start_seconds + 1e-9) {
        ++lane;
      }
      if (lane == lane_end.size()) {
        lane_end.push_back(0);
      }
      lane_end[lane] = f.end_seconds;
      lanes[k] = first_lane + static_cast<int>(lane);
    }
    if (!audio) {
      *picture_lanes = static_cast<int>(lane_end.size());
      first_lane = *picture_lanes;
    }
  }
  return lanes;
}

// One bar spanning the file, a block per finding placed by its start and end seconds, flat
// stretches in grey behind them. Empty when the length is unknown.
std::string timeline_html(const FileReport& file, size_t file_index) {
  const media::Rational rate = parse_rate(file.frame_rate);
  const double fps = rate.to_double();
  double duration = file.duration_seconds;
  for (const Finding& f : file.findings) {
    duration = std::max(duration, f.end_seconds);
  }
  for (const FrameRange& r : file.flat_ranges) {
    duration = std::max(duration, static_cast<double>(r.last_frame + 1) / fps);
  }
  if (!(duration > 0)) {
    return "";
  }
  auto position = [&](double start, double end) {
    const double left = 100.0 * std::clamp(start / duration, 0.0, 1.0);
    // At least a sliver, so that a one-frame finding in an hour of video still shows.
    const double width = std::max(100.0 * std::clamp((end - start) / duration, 0.0, 1.0), 0.4);
    return "left:" + fixed3(left, "%") + ";width:" + fixed3(width, "%");
  };
  int picture_lanes = 0;
  const std::vector<int> lanes = timeline_lanes(file.findings, &picture_lanes);
  const int lane_count = lanes.empty() ? 1 : *std::max_element(lanes.begin(), lanes.end()) + 1;
  std::string h = "<div class=\"timeline\" role=\"list\" style=\"height:" +
                  std::to_string(lane_count * 22 + 2) + "px\" aria-label=\"Timeline of " +
                  base::html_escape(file.path) + ", 0 to " + fixed3(duration, " s") + "\">\n";
  for (const FrameRange& r : file.flat_ranges) {
    const double start = static_cast<double>(r.first_frame) / fps;
    const double end = static_cast<double>(r.last_frame + 1) / fps;
    h += "<div class=\"flat\" role=\"listitem\" style=\"" + position(start, end) +
         "\" title=\"too flat to hash, not matched: " + base::html_escape(r.start_timecode) +
         " to " + base::html_escape(r.end_timecode) + "\"></div>\n";
  }
  if (picture_lanes > 0 && lane_count > picture_lanes) {
    // The line between the picture's lanes and the sound's.
    h += "<div class=\"track-line\" style=\"top:" + std::to_string(picture_lanes * 22 + 1) +
         "px\"></div>\n";
  }
  for (size_t k = 0; k < file.findings.size(); ++k) {
    const Finding& f = file.findings[k];
    const std::string number = "#" + std::to_string(k + 1);
    const std::string sound = f.track == "audio" ? "sound " : "";
    h += "<a class=\"block " + verdict_class(f.verdict) + (f.track == "audio" ? " audio" : "") +
         "\" role=\"listitem\" href=\"#f" + std::to_string(file_index) + "-" +
         std::to_string(k + 1) + "\" style=\"" + position(f.start_seconds, f.end_seconds) +
         ";top:" + std::to_string(lanes[k] * 22 + 2) + "px\" data-start=\"" +
         fixed3(f.start_seconds, "") + "\" data-end=\"" + fixed3(f.end_seconds, "") +
         "\" title=\"" +
         base::html_escape(number + " " + sound + verdict_words(f.verdict) + ": asset " +
                           asset_text(f) + ", " + f.start_timecode + " to " + f.end_timecode +
                           " (" + fixed3(f.start_seconds, " s") + " to " +
                           fixed3(f.end_seconds, " s") + ")") +
         "\">" + base::html_escape(number + " " + sound + verdict_words(f.verdict)) + "</a>\n";
  }
  const int64_t origin = parse_timecode(file.start_timecode, rate).value_or(0);
  const auto end_frame = origin + static_cast<int64_t>(std::llround(duration * fps));
  h += "</div>\n<div class=\"axis\"><span>" +
       base::html_escape(format_timecode(origin, rate, file.drop_frame)) + " (0 s)</span><span>" +
       base::html_escape(format_timecode(end_frame, rate, file.drop_frame)) + " (" +
       fixed3(duration, " s") + ")</span></div>\n";
  return h;
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
    "td img{display:block;max-width:160px;max-height:160px}.none{color:#777}"
    ".fail{color:#b00}.pass{color:#070}"
    ".timeline{position:relative;background:#eef0f4;border:1px solid #99a;overflow:hidden}"
    ".flat{position:absolute;top:0;bottom:0;background:#aaa}"
    ".track-line{position:absolute;left:0;right:0;border-top:1px dashed #778}"
    ".block.audio{border-radius:10px;border:2px dotted #fff}"
    ".block{position:absolute;height:20px;color:#fff;font-size:12px;line-height:20px;"
    "white-space:nowrap;overflow:hidden;text-decoration:none;border-radius:2px;"
    "box-sizing:border-box;padding:0 3px}"
    ".axis{display:flex;justify-content:space-between;font-size:12px;color:#555;"
    "margin-bottom:1em}"
    ".key{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em}"
    ".key.flat{position:static}"
    ".v-cleared{background:#2e7d32}.v-provisional_in_final{background:#c62828}"
    ".v-rejected{background:#7b1010}.v-expired_approval{background:#e65100}"
    ".v-disclosure_unconfirmed{background:#6a1b9a}"
    ".v-undeclared_ai{background:#ad1457}"
    "td.v-cleared,td.v-provisional_in_final,td.v-rejected,td.v-expired_approval,"
    "td.v-disclosure_unconfirmed,td.v-undeclared_ai{background:none;font-weight:bold}"
    "td.v-cleared{color:#2e7d32}td.v-provisional_in_final{color:#c62828}"
    "td.v-rejected{color:#7b1010}td.v-expired_approval{color:#e65100}"
    "td.v-disclosure_unconfirmed{color:#6a1b9a}td.v-undeclared_ai{color:#ad1457}";

std::string legend_html() {
  std::string h =
      "<p class=\"legend\">Timelines: one bar per video or audio file, from its start to its "
      "end; each block is a finding, numbered as in the file's table, placed by its start and "
      "end time (hover for timecodes). Picture findings are on top; sound found in the audio "
      "(rounded, dotted blocks) is under a dashed line. Colours:";
  for (Verdict v :
       {Verdict::kCleared, Verdict::kProvisionalInFinal, Verdict::kRejected,
        Verdict::kExpiredApproval, Verdict::kDisclosureUnconfirmed, Verdict::kUndeclaredAi}) {
    h += " <span class=\"key " + verdict_class(v) + "\"></span>" + verdict_words(v) +
         (v == Verdict::kCleared ? " (passes);" : " (fails);");
  }
  h += " <span class=\"key flat\"></span>too flat to hash (not matched).</p>\n";
  return h;
}

}  // namespace

std::string report_html(const ScanReport& report) {
  std::string h =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
      "style-src 'unsafe-inline'\"><title>clearcut scan: " +
      base::html_escape(report.production_code) + "</title><style>" + kStyle +
      "</style></head><body>\n";
  h += "<h1>Delivery scan: " + base::html_escape(report.production_code) + "</h1>\n";
  h += std::string("<p class=\"") + (report.passes() ? "pass\">PASSES" : "fail\">FAILS") +
       "</p><p>Scanned at " + base::html_escape(report.scanned_at) + "; " +
       std::to_string(report.files.size()) + " file(s).</p>\n";
  if (!report.not_checked.empty()) {
    h += "<h2>Not checked</h2>\n<ul>\n";
    for (const std::string& what : report.not_checked) {
      h += "<li>" + base::html_escape(what) + "</li>\n";
    }
    h += "</ul>\n";
  }
  h += legend_html();
  std::string disclosure;
  for (size_t i = 0; i < report.files.size(); ++i) {
    const FileReport& file = report.files[i];
    h += "<h2>" + base::html_escape(file.path) + "</h2>\n";
    if (!file.kind.empty()) {
      std::string about = file.kind;
      if (!file.codec.empty()) {
        about += ", " + file.codec;
      }
      if (file.width > 0) {
        about += ", " + std::to_string(file.width) + "x" + std::to_string(file.height);
      }
      if (file.kind == "audio") {
        about += " (timecodes count at " + file.frame_rate + " fps, " +
                 (file.timecode_rate_from == "delivery"      ? "the delivery's picture rate"
                  : file.timecode_rate_from == "scan_option" ? "the rate the scan was given"
                                                             : "no picture rate to follow") +
                 ")";
      } else if (file.kind != "still") {
        about += ", " + file.frame_rate + " fps";
        if (file.variable_frame_rate) {
          about += " nominal, variable frame rate (timecodes from presentation times)";
        }
      }
      if (!file.start_timecode.empty()) {
        about += ", starts at " + file.start_timecode +
                 (file.timecode_from == "bext" ? " (Broadcast WAV time reference)"
                                               : " (the file's timecode)");
      }
      if (file.kind != "still" && file.duration_seconds > 0) {
        about += ", " + fixed3(file.duration_seconds, " s");
      }
      for (const AudioTrackReport& a : file.audio) {
        about += "; audio stream " + std::to_string(a.stream) + ": " + a.codec + ", " +
                 std::to_string(a.sample_rate) + " Hz, " + std::to_string(a.channels) + " ch" +
                 (a.language.empty() ? "" : ", " + a.language) + ", " + fixed3(a.seconds, " s") +
                 " searched";
      }
      h += "<p>" + base::html_escape(about) + "</p>\n";
    }
    if (!file.error.empty()) {
      h += "<p class=\"fail\">Error: " + base::html_escape(file.error) + "</p>\n";
    }
    for (const std::string& u : file.unchecked) {
      h += "<p>Not checked: " + base::html_escape(u) + "</p>\n";
    }
    if (file.kind == "video" || file.kind == "image_sequence" || file.kind == "audio") {
      h += timeline_html(file, i);
    }
    if (file.findings.empty()) {
      h += "<p>No findings.</p>\n";
      continue;
    }
    h += "<table><tr><th>#</th><th>Track</th><th>From</th><th>To</th><th>Frame</th>"
         "<th>Registered asset</th>"
         "<th>Asset</th><th>Verdict</th><th>Signals</th><th>Reason</th></tr>\n";
    for (size_t k = 0; k < file.findings.size(); ++k) {
      const Finding& f = file.findings[k];
      const std::string asset = asset_text(f);
      h +=
          "<tr id=\"f" + std::to_string(i) + "-" + std::to_string(k + 1) + "\"><td>" +
          std::to_string(k + 1) + "</td><td>" +
          base::html_escape(f.track == "audio"
                                ? "audio (stream " + std::to_string(f.audio_stream) + ")"
                                : f.track) +
          "</td><td>" + base::html_escape(f.start_timecode) + "</td><td>" +
          base::html_escape(f.end_timecode) + "</td><td>" +
          thumbnail_html(f.frame_thumbnail,
                         (f.track == "audio" ? "waveform of the sound of " : "frame of ") +
                             file.path + " where it was found (" + f.start_timecode + " to " +
                             f.end_timecode + ")") +
          "</td><td>" +
          thumbnail_html(f.asset_thumbnail,
                         (f.track == "audio" ? "registered sound " : "registered asset ") + asset) +
          "</td><td>" + base::html_escape(asset) + "</td><td class=\"" + verdict_class(f.verdict) +
          "\">" + base::html_escape(verdict_words(f.verdict)) + "</td><td>" +
          base::html_escape(signals_text(f)) + "</td><td>" + base::html_escape(f.reason) +
          "</td></tr>\n";
      if (f.verdict == Verdict::kCleared) {
        disclosure += "<tr><td>" + base::html_escape(file.path) + "</td><td>" +
                      base::html_escape(f.start_timecode) + "</td><td>" +
                      base::html_escape(f.end_timecode) + "</td><td>" + base::html_escape(asset) +
                      "</td></tr>\n";
      }
    }
    h += "</table>\n";
  }
  if (!report.skipped.empty()) {
    h += "<h2>Skipped</h2>\n<p>Folder entries that were not read (not checked):</p>\n<ul>\n";
    for (const SkippedEntry& entry : report.skipped) {
      h += "<li>" + base::html_escape(entry.path) + ": " + base::html_escape(entry.reason) +
           "</li>\n";
    }
    h += "</ul>\n";
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
