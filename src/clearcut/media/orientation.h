#pragma once

#include "clearcut/media/image.h"

namespace clearcut::media {

// The Orientation tag (TIFF 6.0 tag 274, 0x0112, which EXIF reuses in IFD0): how the stored rows
// and columns map onto the picture a viewer displays. Decoders hand out the stored pixels; a
// picture is hashed, marked and judged as displayed.
enum class Orientation {
  kNormal = 1,        // row 0 at the top, column 0 at the left
  kMirrored = 2,      // mirrored left to right
  kRotated180 = 3,    // upside down
  kFlipped = 4,       // mirrored top to bottom
  kTransposed = 5,    // row 0 is the left column, column 0 the top row
  kRotated90Cw = 6,   // shown turned 90 degrees clockwise (a phone held upright)
  kTransversed = 7,   // row 0 is the right column, column 0 the bottom row
  kRotated90Ccw = 8,  // shown turned 90 degrees counter-clockwise
};

// The tag's value as an Orientation; values outside 1..8 (a tag written wrong) are kNormal,
// as viewers treat them.
Orientation orientation_from_tag(int value);

// `image` as a viewer displays it under `orientation`: the stored pixels rotated and mirrored.
// Orientations 5 to 8 swap width and height. Any channel count. A pure function; kNormal hands
// `image` back without copying it.
Image apply_orientation(Image image, Orientation orientation);

}  // namespace clearcut::media
