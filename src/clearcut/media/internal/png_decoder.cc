#include "clearcut/media/internal/png_decoder.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include "clearcut/media/internal/decode_common.h"

namespace clearcut::media::internal {
namespace {

// Everything one decode touches, in a block without destructors. libpng reports a fatal error by
// calling on_error, which longjmps back to run_guarded; the frames it skips (libpng's and a
// step's) must hold nothing with a destructor.
struct PngDecode {
  png_structp png;
  png_infop info;
  const uint8_t* data;
  size_t size;
  size_t offset;
  char message[200];
  const DecodeOptions* options;
  png_bytep* rows;
  png_uint_32 width;
  png_uint_32 height;
  int channels;  // after the transforms: 1 (grey) or 3 (RGB)
};

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
  PngDecode& d = *static_cast<PngDecode*>(png_get_error_ptr(png));
  std::snprintf(d.message, sizeof(d.message), "%s", message);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_read(png_structp png, png_bytep out, size_t length) {
  PngDecode& d = *static_cast<PngDecode*>(png_get_io_ptr(png));
  if (length > d.size - d.offset) {
    png_error(png, "truncated: the data ends before the image does");
  }
  std::memcpy(out, d.data + d.offset, length);
  d.offset += length;
}

using Step = void (*)(PngDecode&);

// Runs one step; false when libpng gave up (the reason is in d.message). The volatile copies
// keep what is used after setjmp out of registers a longjmp could clobber.
bool run_guarded(PngDecode& d, Step step) {
  PngDecode* volatile target = &d;
  volatile Step run = step;
  if (setjmp(png_jmpbuf(d.png)) != 0) {
    return false;
  }
  run(*target);
  return true;
}

void read_info(PngDecode& d) {
  d.info = png_create_info_struct(d.png);
  if (d.info == nullptr) {
    png_error(d.png, "out of memory");
  }
  png_set_read_fn(d.png, &d, on_read);
  png_read_info(d.png, d.info);
  d.width = png_get_image_width(d.png, d.info);
  d.height = png_get_image_height(d.png, d.info);
}

// Pixels come out as stored, without gamma or colour management (as ImageMagick hands them on):
// palettes and low bit depths expanded to 8 bits, 16 bits scaled to 8, alpha dropped.
void set_transforms(PngDecode& d) {
  const png_byte color_type = png_get_color_type(d.png, d.info);
  png_set_expand(d.png);
  png_set_scale_16(d.png);
  png_set_strip_alpha(d.png);
  const bool grey = (color_type & PNG_COLOR_MASK_COLOR) == 0;
  if (grey && d.options->format == PixelFormat::kRgb) {
    png_set_gray_to_rgb(d.png);
  }
  png_set_interlace_handling(d.png);
  png_read_update_info(d.png, d.info);
  d.channels = png_get_channels(d.png, d.info);
  if ((d.channels != 1 && d.channels != 3) ||
      png_get_rowbytes(d.png, d.info) != static_cast<size_t>(d.width) * d.channels) {
    png_error(d.png, "unexpected pixel layout after conversion");
  }
}

void read_pixels(PngDecode& d) {
  png_read_image(d.png, d.rows);
  png_read_end(d.png, nullptr);
}

}  // namespace

base::Result<Image> decode_png(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  Image image;
  std::vector<png_bytep> rows;
  PngDecode d{};
  d.data = bytes.data();
  d.size = bytes.size();
  d.options = &options;
  d.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d, on_error, on_warning);
  if (d.png == nullptr) {
    return base::Error(base::ErrorCode::kUnavailable, "PNG: cannot create a decoder");
  }
  struct Destroy {
    PngDecode& d;
    ~Destroy() { png_destroy_read_struct(&d.png, d.info != nullptr ? &d.info : nullptr, nullptr); }
  } destroy{d};

  if (!run_guarded(d, read_info)) {
    return malformed("PNG", d.message);
  }
  CC_TRY(check_dimensions("PNG", d.width, d.height, options));
  if (!run_guarded(d, set_transforms)) {
    return malformed("PNG", d.message);
  }
  image.width = static_cast<int>(d.width);
  image.height = static_cast<int>(d.height);
  image.channels = d.channels;
  image.pixels.resize(image.row_bytes() * image.height);
  rows.resize(image.height);
  for (int y = 0; y < image.height; ++y) {
    rows[y] = image.pixels.data() + y * image.row_bytes();
  }
  d.rows = rows.data();
  if (!run_guarded(d, read_pixels)) {
    return malformed("PNG", d.message);
  }
  if (options.format == PixelFormat::kLuma && image.channels == 3) {
    const size_t n = static_cast<size_t>(image.width) * image.height;
    rgb_to_luma(image.pixels.data(), n, 3, image.pixels.data());
    image.pixels.resize(n);
    image.pixels.shrink_to_fit();
    image.channels = 1;
  }
  return image;
}

}  // namespace clearcut::media::internal
