#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clearcut/base/result.h"

namespace clearcut::media {

// A run of numbered image files in one folder (shot_0001.png, shot_0002.png, ...), as found on
// disk. A plain value.
struct ImageSequence {
  // printf pattern of the files' paths for FFmpeg's image2 demuxer: the number as %0Nd (or %d
  // when unpadded), every literal '%' doubled.
  std::string pattern;
  int padding = 0;  // digits of the zero-padded number; 0 when unpadded
  int64_t first_number = 0;
  int64_t last_number = 0;
  int64_t file_count = 0;                // files found between first and last
  std::optional<int64_t> first_missing;  // the lowest number absent between first and last

  int64_t span() const { return last_number - first_number + 1; }
};

// Finds the sequence named by `pattern`: a printf pattern (shot_%04d.png, shot_%d.png), a hash
// pattern (frame.####.exr: four digits) or one of its files (frame.0001.exr: the last run of
// digits before the extension is the number, its length the padding). Only the file name may
// hold the number. The folder is listed once: kNotFound when it or every matching file is
// missing, kInvalidArgument when the pattern names no number.
base::Result<ImageSequence> find_image_sequence(const std::string& pattern);

}  // namespace clearcut::media
