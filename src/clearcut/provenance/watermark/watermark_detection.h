#pragma once

#include <cstdint>

namespace clearcut::watermark {

// What a detector read (watermark_detector.h, video_watermark_detector.h). A plain value.
struct WatermarkDetection {
  // A mark under this key was found: its synchronisation pattern located it and the decoded
  // payload passed its keyed CRC-32. Nothing else is ever reported as found (README.md,
  // "False positives").
  bool found = false;
  uint64_t payload = 0;  // valid when found
  // The payload of the best decoding attempt even when its CRC failed: for measuring bit
  // accuracy, never to be trusted as a reading.
  uint64_t best_guess = 0;
  // Agreement of the soft chip readings with the decoded codeword, 0..1 (1: every chip read as
  // embedded). Marks found after H.264 or JPEG q50 read about 0.9..1; 0 when not found.
  double confidence = 0;
  // Coded bits (of 312) whose hard reading the convolutional code corrected.
  int bit_errors_corrected = 0;
  // Where the mark was found: the synchronisation peak over its noise (about 4 on unmarked
  // input), the size of the image relative to the marked original, and the tile phase.
  double sync_score = 0;
  double scale = 0;
  double offset_x = 0;
  double offset_y = 0;
};

}  // namespace clearcut::watermark
