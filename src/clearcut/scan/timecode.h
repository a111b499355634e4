#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"
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

// The frame number of a timecode label at `rate`, the inverse of format_timecode: "HH:MM:SS:FF",
// or with ';' (also ',' or '.') before the frames for drop-frame, which counts drop-frame when
// `rate` is 29.97 or 59.94. nullopt for anything else: fields out of range (hours 0-23, frames
// under the nominal rate) or a label drop-frame skips (00:01:00;00).
std::optional<int64_t> parse_timecode(std::string_view label, media::Rational rate);

// A timecode rate as a user writes it: "25", "24000/1001", "23.976", "29.97", "59.94" (the
// decimal NTSC rates stand for their /1001 fractions), with "df" after it (29.97df) for
// drop-frame. kInvalidArgument naming what was expected.
struct TimecodeRate {
  media::Rational rate;
  bool drop_frame = false;
};
base::Result<TimecodeRate> parse_timecode_rate(std::string_view text);

}  // namespace clearcut::scan
