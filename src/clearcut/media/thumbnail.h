#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/media/image.h"

namespace clearcut::media {

// Thumbnails: small JPEG previews of stills and video frames, which registered assets carry and
// scan reports show beside each finding. Pure functions; thread-safe.

struct ThumbnailOptions {
  int max_side = 160;  // the thumbnail fits a max_side x max_side square; never enlarged
  int quality = 80;    // JPEG quality of the first attempt; lower ones follow if it is too big
  // 48 KiB of JPEG is 64 KiB of base64, the most an asset's thumbnail may take.
  size_t max_bytes = 48 * 1024;
};

// `image` shrunk to fit a max_side x max_side square, keeping its aspect ratio (each output pixel
// the average of the input pixels under it); an image that fits already comes back unchanged.
Image fit_within(const Image& image, int max_side);

// A grey image of 8-bit luma rows (a video frame's Y plane, `stride` bytes apart). Broadcast-range
// luma (16..235, !full_range) is stretched to 0..255, as a viewer would show it.
Image grey_image(const uint8_t* luma, int width, int height, int stride, bool full_range);

// The thumbnail of `image` as a baseline JPEG. Errors: kInvalidArgument (an empty image, or
// channels other than 1 and 3), kResourceExhausted (too big even at the lowest quality tried).
base::Result<std::vector<uint8_t>> encode_thumbnail(const Image& image,
                                                    const ThumbnailOptions& options = {});

}  // namespace clearcut::media
