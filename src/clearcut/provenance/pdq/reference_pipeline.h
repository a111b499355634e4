#pragma once

#include <cstdint>
#include <vector>

#include "clearcut/provenance/pdq/pdq_hasher.h"

namespace clearcut::provenance {

// Above this side the reference CLI (pdq/cpp/io/pdqio.cpp, DOWNSAMPLE_DIMS) shrinks first.
inline constexpr int kReferencePreshrinkSide = 512;

// Hashes decoded 8-bit pixels as the reference CLI `pdq-photo-hasher` does once ImageMagick has
// decoded them, so that hashes compare with other PDQ implementations':
//  - a side over 512: resized to exactly 512x512 by nearest neighbour (CImg's resize: source
//    column floor(x W / 512), row floor(y H / 512)), aspect ratio not kept;
//  - every pixel grey (R = G = B): hashed through the grey path, because ImageMagick hands the
//    reference a PGM for such images, and 0.299 v + 0.587 v + 0.114 v is not always v in float.
// Fed the reference's pixels, the hash and quality are the reference's bit for bit.
PdqResult hash_like_reference(PdqHasher& hasher, const PixelView& pixels);

// The nearest-neighbour resize above, to any size; returns tightly packed pixels with the same
// channels.
std::vector<uint8_t> resize_nearest(const PixelView& pixels, int width, int height);

}  // namespace clearcut::provenance
