#include "clearcut/media/internal/jpeg_decoder.h"

#include <algorithm>
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <memory>

// jpeglib.h needs size_t and FILE declared before it.
#include <jerror.h>
#include <jpeglib.h>

#include "clearcut/media/internal/decode_common.h"

namespace clearcut::media::internal {
namespace {

// Progressive files with more scans are hostile; libjpeg-turbo's own fuzzers use this bound.
constexpr int kMaxScans = 500;

// Everything one decode touches, in a block without destructors. libjpeg reports a fatal error by
// calling error_exit, which longjmps back to run_guarded; the frames it skips (libjpeg's and a
// step's) must hold nothing with a destructor.
struct JpegDecode {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  jpeg_progress_mgr progress;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  const uint8_t* data;
  size_t size;
  const DecodeOptions* options;
  Image* image;
};

JpegDecode& decode_of(j_common_ptr cinfo) {
  return *static_cast<JpegDecode*>(cinfo->client_data);
}

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
  JpegDecode& d = decode_of(cinfo);
  (*cinfo->err->format_message)(cinfo, d.message);
  std::longjmp(d.jump, 1);
}

// Warnings (level -1) are corrupt data libjpeg can paper over. Running out of data is not:
// libjpeg would fill the rest with grey, and a truncated file must fail. (Even a file that lacks
// only its end marker fails: the entropy decoder reads ahead, so running out cannot be told apart
// from missing pixels.)
void on_emit_message(j_common_ptr cinfo, int level) {
  if (level >= 0) {
    return;
  }
  JpegDecode& d = decode_of(cinfo);
  if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
    std::snprintf(d.message, sizeof(d.message), "truncated: the data ends before the image does");
    std::longjmp(d.jump, 1);
  }
  ++cinfo->err->num_warnings;
}

void on_output_message(j_common_ptr) {}

void on_progress(j_common_ptr cinfo) {
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxScans) {
    JpegDecode& d = decode_of(cinfo);
    std::snprintf(d.message, sizeof(d.message), "more than %d scans", kMaxScans);
    std::longjmp(d.jump, 1);
  }
}

using Step = void (*)(JpegDecode&);

// Runs one step; false when libjpeg gave up (the reason is in d.message). The volatile copies
// keep what is used after setjmp out of registers a longjmp could clobber.
bool run_guarded(JpegDecode& d, Step step) {
  JpegDecode* volatile target = &d;
  volatile Step run = step;
  if (setjmp(d.jump) != 0) {
    return false;
  }
  run(*target);
  return true;
}

void read_header(JpegDecode& d) {
  jpeg_create_decompress(&d.cinfo);
  d.cinfo.progress = &d.progress;
  jpeg_mem_src(&d.cinfo, d.data, static_cast<unsigned long>(d.size));
  jpeg_read_header(&d.cinfo, TRUE);
}

void start(JpegDecode& d) {
  jpeg_decompress_struct& cinfo = d.cinfo;
  const DecodeOptions& options = *d.options;
  switch (options.jpeg_idct) {
    case JpegIdct::kIntegerSlow:
      cinfo.dct_method = JDCT_ISLOW;
      break;
    case JpegIdct::kIntegerFast:
      cinfo.dct_method = JDCT_IFAST;
      break;
    case JpegIdct::kFloat:
      cinfo.dct_method = JDCT_FLOAT;
      break;
  }
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    cinfo.out_color_space = JCS_CMYK;  // converted below; libjpeg has no CMYK to RGB
  } else {
    // From YCbCr, grey output is the Y plane itself: chroma is never inverse transformed.
    cinfo.out_color_space = options.format == PixelFormat::kLuma ? JCS_GRAYSCALE : JCS_RGB;
  }
  if (options.min_side > 0) {
    const JDIMENSION min_width = std::min<JDIMENSION>(options.min_side, cinfo.image_width);
    const JDIMENSION min_height = std::min<JDIMENSION>(options.min_side, cinfo.image_height);
    for (unsigned int num = 1; num <= 8; ++num) {
      cinfo.scale_num = num;
      cinfo.scale_denom = 8;
      jpeg_calc_output_dimensions(&cinfo);
      if (cinfo.output_width >= min_width && cinfo.output_height >= min_height) {
        break;
      }
    }
  }
  jpeg_start_decompress(&cinfo);
}

// Adobe writes CMYK inverted (0 = full ink), which is what nearly every CMYK JPEG is.
void cmyk_to_rgb(const uint8_t* cmyk, int width, bool inverted, uint8_t* rgb) {
  for (int x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
    const unsigned k = inverted ? cmyk[3] : 255u - cmyk[3];
    for (int c = 0; c < 3; ++c) {
      const unsigned v = inverted ? cmyk[c] : 255u - cmyk[c];
      rgb[c] = static_cast<uint8_t>((v * k + 127) / 255);
    }
  }
}

void read_pixels(JpegDecode& d) {
  jpeg_decompress_struct& cinfo = d.cinfo;
  Image& image = *d.image;
  const size_t row_bytes = image.row_bytes();
  if (cinfo.output_components == 4) {
    JSAMPARRAY cmyk = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo),
                                                 JPOOL_IMAGE, cinfo.output_width * 4, 2);
    uint8_t* rgb = cmyk[1];  // room for one RGB row
    while (cinfo.output_scanline < cinfo.output_height) {
      uint8_t* out = image.pixels.data() + cinfo.output_scanline * row_bytes;
      jpeg_read_scanlines(&cinfo, cmyk, 1);
      const bool inverted = cinfo.saw_Adobe_marker;
      if (image.channels == 3) {
        cmyk_to_rgb(cmyk[0], image.width, inverted, out);
      } else {
        cmyk_to_rgb(cmyk[0], image.width, inverted, rgb);
        rgb_to_luma(rgb, image.width, 3, out);
      }
    }
  } else {
    constexpr int kRowsPerCall = 8;
    JSAMPROW rows[kRowsPerCall];
    while (cinfo.output_scanline < cinfo.output_height) {
      const JDIMENSION first = cinfo.output_scanline;
      const JDIMENSION n = std::min<JDIMENSION>(kRowsPerCall, cinfo.output_height - first);
      for (JDIMENSION i = 0; i < n; ++i) {
        rows[i] = image.pixels.data() + (first + i) * row_bytes;
      }
      jpeg_read_scanlines(&cinfo, rows, n);
    }
  }
  jpeg_finish_decompress(&cinfo);
}

struct DestroyDecompress {
  void operator()(JpegDecode* d) const {
    jpeg_destroy_decompress(&d->cinfo);
    delete d;
  }
};

}  // namespace

base::Result<Image> decode_jpeg(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  Image image;
  std::unique_ptr<JpegDecode, DestroyDecompress> d(new JpegDecode{});
  d->cinfo.err = jpeg_std_error(&d->err);
  d->err.error_exit = on_error_exit;
  d->err.emit_message = on_emit_message;
  d->err.output_message = on_output_message;
  d->progress.progress_monitor = on_progress;
  d->cinfo.client_data = d.get();
  d->data = bytes.data();
  d->size = bytes.size();
  d->options = &options;
  d->image = &image;

  if (!run_guarded(*d, read_header)) {
    return malformed("JPEG", d->message);
  }
  CC_TRY(check_dimensions("JPEG", d->cinfo.image_width, d->cinfo.image_height, options));
  if (!run_guarded(*d, start)) {
    return malformed("JPEG", d->message);
  }
  image.width = static_cast<int>(d->cinfo.output_width);
  image.height = static_cast<int>(d->cinfo.output_height);
  image.channels = options.format == PixelFormat::kLuma ? 1 : 3;
  image.pixels.resize(image.row_bytes() * image.height);
  if (!run_guarded(*d, read_pixels)) {
    return malformed("JPEG", d->message);
  }
  return image;
}

}  // namespace clearcut::media::internal
