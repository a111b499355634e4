#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/media/image.h"

// Test support (not part of clearcut::watermark): the image manipulations the robustness suite
// applies to marked images, the photo set it reads, and synthetic video frames. Written
// independently of the detector's own resampling, so a resize here is not the detector's
// inverse by construction.
namespace clearcut::watermark::testing {

// Decodes after encoding at `quality` (libjpeg, 4:2:0).
base::Result<media::Image> jpeg(const media::Image& image, int quality);
// Resizes by `factor` (output sides rounded) with an antialiased separable Catmull-Rom filter
// widened by 1 / factor when shrinking, as image editors resize.
media::Image resize(const media::Image& image, double factor);
media::Image resize_to(const media::Image& image, int width, int height);
// Keeps `fraction` of each side, the window placed at (left, top) as fractions of the spare
// room (0.5, 0.5: centred).
media::Image crop(const media::Image& image, double fraction, double left = 0.5, double top = 0.5);
media::Image gaussian_blur(const media::Image& image, double sigma);
media::Image box_blur3(const media::Image& image);
// Adds Gaussian noise of standard deviation sigma (levels) to every channel.
media::Image add_noise(const media::Image& image, double sigma, uint64_t seed);
// Multiplies every channel by factor (1.2: 20% brighter), clamping.
media::Image brightness(const media::Image& image, double factor);

// PSNR in dB between two images of equal geometry over all channels (inf when equal).
double psnr(const media::Image& a, const media::Image& b);
// BT.601 luma as floats.
std::vector<float> luma_of(const media::Image& image);

// A synthetic video frame: a drifting diagonal gradient, a few moving filled shapes (discs,
// rectangles) with soft edges, a textured band, and Gaussian grain; `frame` advances the motion.
media::Image synthetic_frame(int width, int height, int frame, uint64_t seed);

// The photo set: the 14 photographs of Debian's lomiri-wallpapers-16.04 (CC BY 4.0, CC BY-SA
// 4.0, CC0; README.md) that are installed, then the natural photos among the PDQ fixtures
// (BSD) when `shared_dir` has them. Paths only; decode with load_photo().
std::vector<std::string> photo_paths(const std::string& shared_dir);
// The package's one image that is not a photograph: smooth digital artwork with almost no
// texture, a known hard case (README.md). Empty when not installed.
std::vector<std::string> artwork_paths();
// Decodes a photo to RGB with its shorter side `short_side` (never enlarged).
base::Result<media::Image> load_photo(const std::string& path, int short_side);
// A short name for tables: the file name without directories and extension.
std::string photo_name(const std::string& path);

}  // namespace clearcut::watermark::testing
