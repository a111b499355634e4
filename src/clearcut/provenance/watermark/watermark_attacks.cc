#include "clearcut/provenance/watermark/watermark_attacks.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numbers>
#include <random>

#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"

namespace clearcut::watermark::testing {
namespace {

uint8_t clamp_u8(double v) {
  return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 255.0)));
}

double catmull_rom(double x) {
  x = std::fabs(x);
  if (x < 1) {
    return 1.5 * x * x * x - 2.5 * x * x + 1;
  }
  if (x < 2) {
    return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
  }
  return 0;
}

struct Taps {
  std::vector<int> first;
  std::vector<std::vector<double>> weights;
};

// Filter taps for resampling n_in samples to n_out: output i is centred on input
// (i + 0.5) * n_in / n_out - 0.5; the kernel is widened by the shrink factor.
Taps taps_for(int n_in, int n_out) {
  const double ratio = static_cast<double>(n_in) / n_out;
  const double support = 2.0 * std::max(1.0, ratio);
  const double stretch = std::max(1.0, ratio);
  Taps t;
  t.first.resize(n_out);
  t.weights.resize(n_out);
  for (int i = 0; i < n_out; ++i) {
    const double centre = (i + 0.5) * ratio - 0.5;
    const int lo = static_cast<int>(std::floor(centre - support)) + 1;
    const int hi = static_cast<int>(std::floor(centre + support));
    double total = 0;
    std::vector<double> w;
    for (int j = lo; j <= hi; ++j) {
      const double k = catmull_rom((j - centre) / stretch);
      w.push_back(k);
      total += k;
    }
    for (double& k : w) {
      k /= total;
    }
    t.first[i] = lo;
    t.weights[i] = std::move(w);
  }
  return t;
}

}  // namespace

base::Result<media::Image> jpeg(const media::Image& image, int quality) {
  media::JpegEncodeOptions options;
  options.quality = quality;
  const std::vector<uint8_t> bytes = CC_TRY(media::encode_jpeg(image, options));
  media::DecodeOptions decode;
  decode.format = image.channels == 1 ? media::PixelFormat::kLuma : media::PixelFormat::kRgb;
  return media::decode_image(bytes, decode);
}

media::Image resize_to(const media::Image& image, int width, int height) {
  const int c = image.channels;
  const Taps tx = taps_for(image.width, width);
  const Taps ty = taps_for(image.height, height);
  std::vector<double> horizontal(static_cast<size_t>(image.height) * width * c);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* src = image.pixels.data() + static_cast<size_t>(y) * image.row_bytes();
    for (int x = 0; x < width; ++x) {
      for (int ch = 0; ch < c; ++ch) {
        double s = 0;
        for (size_t k = 0; k < tx.weights[x].size(); ++k) {
          const int j = std::clamp(tx.first[x] + static_cast<int>(k), 0, image.width - 1);
          s += tx.weights[x][k] * src[j * c + ch];
        }
        horizontal[(static_cast<size_t>(y) * width + x) * c + ch] = s;
      }
    }
  }
  media::Image out{width, height, c, std::vector<uint8_t>(static_cast<size_t>(width) * height * c)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int ch = 0; ch < c; ++ch) {
        double s = 0;
        for (size_t k = 0; k < ty.weights[y].size(); ++k) {
          const int j = std::clamp(ty.first[y] + static_cast<int>(k), 0, image.height - 1);
          s += ty.weights[y][k] * horizontal[(static_cast<size_t>(j) * width + x) * c + ch];
        }
        out.pixels[(static_cast<size_t>(y) * width + x) * c + ch] = clamp_u8(s);
      }
    }
  }
  return out;
}

media::Image resize(const media::Image& image, double factor) {
  return resize_to(image, std::max(1, static_cast<int>(std::lround(image.width * factor))),
                   std::max(1, static_cast<int>(std::lround(image.height * factor))));
}

media::Image crop(const media::Image& image, double fraction, double left, double top) {
  const int w = std::max(1, static_cast<int>(std::lround(image.width * fraction)));
  const int h = std::max(1, static_cast<int>(std::lround(image.height * fraction)));
  const int x0 = static_cast<int>(std::lround((image.width - w) * left));
  const int y0 = static_cast<int>(std::lround((image.height - h) * top));
  const int c = image.channels;
  media::Image out{w, h, c, std::vector<uint8_t>(static_cast<size_t>(w) * h * c)};
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = image.pixels.data() + (static_cast<size_t>(y0 + y) * image.width + x0) * c;
    std::copy(src, src + static_cast<size_t>(w) * c,
              out.pixels.data() + static_cast<size_t>(y) * w * c);
  }
  return out;
}

namespace {

// Separable convolution with a symmetric kernel, edges clamped.
media::Image convolve(const media::Image& image, const std::vector<double>& kernel) {
  const int r = static_cast<int>(kernel.size() / 2);
  const int c = image.channels;
  const int w = image.width;
  const int h = image.height;
  std::vector<double> tmp(static_cast<size_t>(w) * h * c);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int ch = 0; ch < c; ++ch) {
        double s = 0;
        for (int k = -r; k <= r; ++k) {
          const int xx = std::clamp(x + k, 0, w - 1);
          s += kernel[k + r] * image.pixels[(static_cast<size_t>(y) * w + xx) * c + ch];
        }
        tmp[(static_cast<size_t>(y) * w + x) * c + ch] = s;
      }
    }
  }
  media::Image out = image;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int ch = 0; ch < c; ++ch) {
        double s = 0;
        for (int k = -r; k <= r; ++k) {
          const int yy = std::clamp(y + k, 0, h - 1);
          s += kernel[k + r] * tmp[(static_cast<size_t>(yy) * w + x) * c + ch];
        }
        out.pixels[(static_cast<size_t>(y) * w + x) * c + ch] = clamp_u8(s);
      }
    }
  }
  return out;
}

}  // namespace

media::Image gaussian_blur(const media::Image& image, double sigma) {
  const int r = static_cast<int>(std::ceil(3 * sigma));
  std::vector<double> k(2 * r + 1);
  double total = 0;
  for (int i = -r; i <= r; ++i) {
    k[i + r] = std::exp(-0.5 * i * i / (sigma * sigma));
    total += k[i + r];
  }
  for (double& v : k) {
    v /= total;
  }
  return convolve(image, k);
}

media::Image box_blur3(const media::Image& image) {
  return convolve(image, {1.0 / 3, 1.0 / 3, 1.0 / 3});
}

media::Image add_noise(const media::Image& image, double sigma, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  media::Image out = image;
  for (uint8_t& p : out.pixels) {
    p = clamp_u8(p + noise(rng));
  }
  return out;
}

media::Image brightness(const media::Image& image, double factor) {
  media::Image out = image;
  for (uint8_t& p : out.pixels) {
    p = clamp_u8(p * factor);
  }
  return out;
}

double psnr(const media::Image& a, const media::Image& b) {
  double se = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    const double d = static_cast<double>(a.pixels[i]) - b.pixels[i];
    se += d * d;
  }
  if (se == 0) {
    return std::numeric_limits<double>::infinity();
  }
  const double mse = se / static_cast<double>(a.pixels.size());
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

std::vector<float> luma_of(const media::Image& image) {
  const size_t n = static_cast<size_t>(image.width) * image.height;
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = image.pixels.data() + i * image.channels;
    out[i] = image.channels == 1 ? p[0] : 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }
  return out;
}

media::Image synthetic_frame(int width, int height, int frame, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  struct Shape {
    bool disc;
    double x, y, vx, vy, size;
    double r, g, b;
  };
  std::vector<Shape> shapes;
  for (int i = 0; i < 5; ++i) {
    shapes.push_back({i % 2 == 0, uniform(rng) * width, uniform(rng) * height,
                      (uniform(rng) - 0.5) * 12, (uniform(rng) - 0.5) * 8,
                      (0.08 + 0.15 * uniform(rng)) * std::min(width, height),
                      40 + 200 * uniform(rng), 40 + 200 * uniform(rng), 40 + 200 * uniform(rng)});
  }
  const double phase = 0.02 * frame;
  std::normal_distribution<double> grain(0.0, 3.0);
  std::mt19937_64 grain_rng(seed ^ (0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(frame + 1)));
  media::Image out{width, height, 3, std::vector<uint8_t>(static_cast<size_t>(width) * height * 3)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double t = (static_cast<double>(x) / width + static_cast<double>(y) / height) / 2;
      double rgb[3] = {60 + 140 * t, 90 + 80 * std::sin(std::numbers::pi * (t + phase)),
                       200 - 120 * t};
      // A textured band: a fine woven pattern moving with the frame.
      if (y > height * 0.7 && y < height * 0.85) {
        const double weave =
            18 * std::sin(0.35 * (x + 3 * frame)) * std::sin(0.27 * y) + 10 * std::sin(0.9 * x);
        for (double& c : rgb) {
          c += weave;
        }
      }
      for (const Shape& s : shapes) {
        const double cx = std::fmod(s.x + s.vx * frame + 10 * width, width);
        const double cy = std::fmod(s.y + s.vy * frame + 10 * height, height);
        const double dx = x - cx;
        const double dy = y - cy;
        const double d = s.disc ? std::hypot(dx, dy) - s.size
                                : std::max(std::fabs(dx), std::fabs(dy) * 1.5) - s.size;
        const double alpha = std::clamp(0.5 - d / 2.0, 0.0, 1.0);  // 2-pixel soft edge
        rgb[0] = rgb[0] * (1 - alpha) + s.r * alpha;
        rgb[1] = rgb[1] * (1 - alpha) + s.g * alpha;
        rgb[2] = rgb[2] * (1 - alpha) + s.b * alpha;
      }
      uint8_t* p = out.pixels.data() + (static_cast<size_t>(y) * width + x) * 3;
      for (int c = 0; c < 3; ++c) {
        p[c] = clamp_u8(rgb[c] + grain(grain_rng));
      }
    }
  }
  return out;
}

std::vector<std::string> photo_paths(const std::string& shared_dir) {
  static const char* const kWallpapers[] = {
      "Bridge_by_Sander_Klootwijk.jpg",
      "Dragonfly_by_Bolly.jpg",
      "Picture_0B_by_freespace.jpg",
      "Picture_1A_by_freespace.jpg",
      "Wine_by_Jakkub_Mede.jpg",
      "aitzgorri_by_Aitzol_Berasategi.jpg",
      "analogpattern_by_Peter_Nerlich.jpg",
      "free_by_Peter_Nerlich.jpg",
      "friends_by_Aitzol_Berasategi.jpg",
      "greentock_by_Peter_Nerlich.jpg",
      "life_by_Aitzol_Berasategi.jpg",
      "picosdeeuropa_by_Aitzol_Berasategi.jpg",
      "seeding_by_Clements_Engelhardt.jpg",
      "sunset_by_Aitzol_Berasategi.jpg",
  };
  static const char* const kFixtures[] = {
      "fixtures/pdq/reg-test-input/dih/bridge-1-original.jpg",
      "fixtures/pdq/reg-test-input/pen-and-coaster.png",
  };
  std::vector<std::string> out;
  for (const char* name : kWallpapers) {
    const std::string path = std::string("/usr/share/backgrounds/") + name;
    if (std::filesystem::exists(path)) {
      out.push_back(path);
    }
  }
  for (const char* name : kFixtures) {
    const std::string path = shared_dir + "/" + name;
    if (std::filesystem::exists(path)) {
      out.push_back(path);
    }
  }
  return out;
}

std::vector<std::string> artwork_paths() {
  const std::string path = "/usr/share/backgrounds/umang_by_Abhishek_Mudgal.jpg";
  if (std::filesystem::exists(path)) {
    return {path};
  }
  return {};
}

base::Result<media::Image> load_photo(const std::string& path, int short_side) {
  media::DecodeOptions options;
  options.format = media::PixelFormat::kRgb;
  options.min_side = short_side;  // JPEGs decode at a reduced size when they can
  media::Image image = CC_TRY(media::decode_image_file(path, options));
  const int shorter = std::min(image.width, image.height);
  if (shorter <= short_side) {
    return image;
  }
  const double f = static_cast<double>(short_side) / shorter;
  return resize_to(image, static_cast<int>(std::lround(image.width * f)),
                   static_cast<int>(std::lround(image.height * f)));
}

std::string photo_name(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

}  // namespace clearcut::watermark::testing
