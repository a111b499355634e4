#pragma once

#include <cstdint>
#include <string>

#include "clearcut/media/ffmpeg/video_reader.h"

namespace clearcut::scan {

// The SMPTE timecode (ST 12-1) of a 0-based frame number at `rate`: HH:MM:SS:FF counted at the
// nominal integer rate (30 for 29.97, 24 for 23.976), or HH:MM:SS;FF when `drop_frame` (29.97
// and 59.94 only): frame numbers 0 and 1 (0..3 at 59.94) are skipped at the start of every
// minute except minutes 0, 10, 20, ... so that the timecode keeps to the wall clock. Hours wrap
// at 24. An unknown rate counts at 25.
std::string format_timecode(int64_t frame, media::Rational rate, bool drop_frame);

// The nominal integer rate timecode counts at: round(rate), at least 1.
int nominal_timecode_rate(media::Rational rate);

}  // namespace clearcut::scan
