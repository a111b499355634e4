#include "clearcut/scan/timecode.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

namespace clearcut::scan {

int nominal_timecode_rate(media::Rational rate) {
  if (!rate.known()) {
    return 25;
  }
  int nominal = static_cast<int>(std::lround(rate.to_double()));
  return nominal < 1 ? 1 : nominal;
}

std::string format_timecode(int64_t frame, media::Rational rate, bool drop_frame) {
  const int fps = nominal_timecode_rate(rate);
  if (frame < 0) {
    frame = 0;
  }
  const bool drop = drop_frame && (fps == 30 || fps == 60);
  if (drop) {
    // Frame numbers dropped at the start of each minute: 2 at 29.97, 4 at 59.94.
    const int64_t dropped = fps / 15;
    const int64_t per_minute = int64_t{fps} * 60 - dropped;     // 1798 at 29.97
    const int64_t per_ten_minutes = per_minute * 10 + dropped;  // 17982 at 29.97
    const int64_t tens = frame / per_ten_minutes;
    const int64_t rest = frame % per_ten_minutes;
    frame += 9 * dropped * tens;
    if (rest > dropped) {
      frame += dropped * ((rest - dropped) / per_minute);
    }
  }
  const int64_t ff = frame % fps;
  const int64_t total_seconds = frame / fps;
  const int64_t ss = total_seconds % 60;
  const int64_t mm = (total_seconds / 60) % 60;
  const int64_t hh = (total_seconds / 3600) % 24;
  char text[32];
  std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld%c%02lld", static_cast<long long>(hh),
                static_cast<long long>(mm), static_cast<long long>(ss), drop ? ';' : ':',
                static_cast<long long>(ff));
  return text;
}

namespace {

// Frame numbers drop-frame skips at the start of each minute but every tenth: 2 at 29.97, 4 at
// 59.94; 0 when `rate` does not drop.
int64_t dropped_per_minute(int fps, bool drop_frame) {
  return drop_frame && (fps == 30 || fps == 60) ? fps / 15 : 0;
}

std::optional<int> two_digits(std::string_view text, size_t at) {
  if (at + 2 > text.size() || text[at] < '0' || text[at] > '9' || text[at + 1] < '0' ||
      text[at + 1] > '9') {
    return std::nullopt;
  }
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

}  // namespace

std::optional<int64_t> parse_timecode(std::string_view label, media::Rational rate) {
  if (label.size() != 11 || label[2] != ':' || label[5] != ':') {
    return std::nullopt;
  }
  const char separator = label[8];
  if (separator != ':' && separator != ';' && separator != ',' && separator != '.') {
    return std::nullopt;
  }
  const auto hh = two_digits(label, 0);
  const auto mm = two_digits(label, 3);
  const auto ss = two_digits(label, 6);
  const auto ff = two_digits(label, 9);
  const int fps = nominal_timecode_rate(rate);
  if (!hh || !mm || !ss || !ff || *hh > 23 || *mm > 59 || *ss > 59 || *ff >= fps) {
    return std::nullopt;
  }
  const int64_t dropped = dropped_per_minute(fps, separator != ':');
  const int64_t minutes = int64_t{*hh} * 60 + *mm;
  if (dropped > 0 && *ss == 0 && *ff < dropped && *mm % 10 != 0) {
    return std::nullopt;
  }
  return (minutes * 60 + *ss) * fps + *ff - dropped * (minutes - minutes / 10);
}

base::Result<TimecodeRate> parse_timecode_rate(std::string_view text) {
  const std::string given(text);
  TimecodeRate out;
  if (text.size() > 2 && (text.ends_with("df") || text.ends_with("DF"))) {
    out.drop_frame = true;
    text.remove_suffix(2);
  }
  static constexpr std::pair<std::string_view, media::Rational> kDecimal[] = {
      {"23.976", {24000, 1001}},
      {"23.98", {24000, 1001}},
      {"29.97", {30000, 1001}},
      {"47.952", {48000, 1001}},
      {"59.94", {60000, 1001}}};
  for (const auto& [name, rate] : kDecimal) {
    if (text == name) {
      out.rate = rate;
    }
  }
  if (!out.rate.known()) {
    const size_t slash = text.find('/');
    int num = 0;
    int den = 1;
    const std::string_view num_text = text.substr(0, slash);
    auto parsed = std::from_chars(num_text.data(), num_text.data() + num_text.size(), num);
    bool ok = parsed.ec == std::errc() && parsed.ptr == num_text.data() + num_text.size();
    if (ok && slash != std::string_view::npos) {
      const std::string_view den_text = text.substr(slash + 1);
      parsed = std::from_chars(den_text.data(), den_text.data() + den_text.size(), den);
      ok = parsed.ec == std::errc() && parsed.ptr == den_text.data() + den_text.size();
    }
    if (!ok || num <= 0 || den <= 0 || num / den > 1000) {
      return base::invalid_argument("timecode rate \"" + given +
                                    "\": expected frames a second as 25, 24000/1001 or 29.97, "
                                    "with df after it for drop-frame");
    }
    out.rate = {num, den};
  }
  const int fps = nominal_timecode_rate(out.rate);
  if (out.drop_frame && fps != 30 && fps != 60) {
    return base::invalid_argument("timecode rate \"" + given +
                                  "\": drop-frame exists only at 29.97 and 59.94");
  }
  return out;
}

}  // namespace clearcut::scan
