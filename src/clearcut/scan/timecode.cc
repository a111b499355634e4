#include "clearcut/scan/timecode.h"

#include <cmath>
#include <cstdio>

namespace clearcut::scan {

int nominal_timecode_rate(media::Rational rate) {
  if (!rate.known())
    return 25;
  int nominal = static_cast<int>(std::lround(rate.to_double()));
  return nominal < 1 ? 1 : nominal;
}

std::string format_timecode(int64_t frame, media::Rational rate, bool drop_frame) {
  const int fps = nominal_timecode_rate(rate);
  if (frame < 0)
    frame = 0;
  const bool drop = drop_frame && (fps == 30 || fps == 60);
  if (drop) {
    // Frame numbers dropped at the start of each minute: 2 at 29.97, 4 at 59.94.
    const int64_t dropped = fps / 15;
    const int64_t per_minute = int64_t{fps} * 60 - dropped;     // 1798 at 29.97
    const int64_t per_ten_minutes = per_minute * 10 + dropped;  // 17982 at 29.97
    const int64_t tens = frame / per_ten_minutes;
    const int64_t rest = frame % per_ten_minutes;
    frame += 9 * dropped * tens;
    if (rest > dropped)
      frame += dropped * ((rest - dropped) / per_minute);
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

}  // namespace clearcut::scan
