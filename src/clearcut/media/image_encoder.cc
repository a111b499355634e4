#include "clearcut/media/image_encoder.h"

#include <jpeglib.h>
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include <webp/encode.h>

namespace clearcut::media {
namespace {

base::Status check_image(const Image& image) {
  if (image.width <= 0 || image.height <= 0 || (image.channels != 1 && image.channels != 3) ||
      image.pixels.size() != image.row_bytes() * image.height) {
    return base::invalid_argument("encode: need a non-empty image with 1 or 3 channels");
  }
  return {};
}

// As in the decoders: one block without destructors, errors longjmp back to the guard.
struct JpegEncode {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  unsigned char* buffer;  // malloc'ed by libjpeg's memory destination
  unsigned long size;
  const Image* image;
  const JpegEncodeOptions* options;
};

[[noreturn]] void on_jpeg_error(j_common_ptr cinfo) {
  JpegEncode& e = *static_cast<JpegEncode*>(cinfo->client_data);
  (*cinfo->err->format_message)(cinfo, e.message);
  std::longjmp(e.jump, 1);
}

void on_jpeg_message(j_common_ptr) {}

void compress(JpegEncode& e) {
  jpeg_compress_struct& cinfo = e.cinfo;
  const Image& image = *e.image;
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &e.buffer, &e.size);
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  const bool cmyk = e.options->cmyk && image.channels == 3;
  cinfo.input_components = cmyk ? 4 : image.channels;
  cinfo.in_color_space = cmyk ? JCS_CMYK : image.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);  // for CMYK this also writes the Adobe marker
  jpeg_set_quality(&cinfo, e.options->quality, TRUE);
  if (image.channels == 3 && !e.options->subsample_chroma) {
    cinfo.comp_info[0].h_samp_factor = 1;
    cinfo.comp_info[0].v_samp_factor = 1;
  }
  if (e.options->progressive) {
    jpeg_simple_progression(&cinfo);
  }
  jpeg_start_compress(&cinfo, TRUE);
  JSAMPARRAY cmyk_row = nullptr;
  if (cmyk) {
    cmyk_row = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                          cinfo.image_width * 4, 1);
  }
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row =
        const_cast<JSAMPROW>(image.pixels.data() + cinfo.next_scanline * image.row_bytes());
    if (cmyk) {
      // Inverted CMYK: the stored value is 255 - ink; with no black, C' M' Y' = R G B.
      for (JDIMENSION x = 0; x < cinfo.image_width; ++x) {
        cmyk_row[0][4 * x] = row[3 * x];
        cmyk_row[0][4 * x + 1] = row[3 * x + 1];
        cmyk_row[0][4 * x + 2] = row[3 * x + 2];
        cmyk_row[0][4 * x + 3] = 255;
      }
      row = cmyk_row[0];
    }
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
}

bool run_compress(JpegEncode& e) {
  JpegEncode* volatile target = &e;
  if (setjmp(e.jump) != 0) {
    return false;
  }
  compress(*target);
  return true;
}

struct PngEncode {
  png_structp png;
  png_infop info;
  char message[200];
  std::vector<uint8_t>* out;
  png_bytep* rows;
  const Image* image;
};

[[noreturn]] void on_png_error(png_structp png, png_const_charp message) {
  PngEncode& e = *static_cast<PngEncode*>(png_get_error_ptr(png));
  std::snprintf(e.message, sizeof(e.message), "%s", message);
  png_longjmp(png, 1);
}

void on_png_warning(png_structp, png_const_charp) {}

void on_png_write(png_structp png, png_bytep data, size_t length) {
  PngEncode& e = *static_cast<PngEncode*>(png_get_io_ptr(png));
  bool failed = false;
  try {
    e.out->insert(e.out->end(), data, data + length);
  } catch (const std::bad_alloc&) {
    failed = true;
  }
  if (failed) {
    png_error(png, "out of memory");
  }
}

void on_png_flush(png_structp) {}

void write_png(PngEncode& e) {
  const Image& image = *e.image;
  e.info = png_create_info_struct(e.png);
  if (e.info == nullptr) {
    png_error(e.png, "out of memory");
  }
  png_set_write_fn(e.png, &e, on_png_write, on_png_flush);
  png_set_IHDR(e.png, e.info, static_cast<png_uint_32>(image.width),
               static_cast<png_uint_32>(image.height), 8,
               image.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(e.png, e.info);
  png_write_image(e.png, e.rows);
  png_write_end(e.png, nullptr);
}

bool run_write_png(PngEncode& e) {
  PngEncode* volatile target = &e;
  if (setjmp(png_jmpbuf(e.png)) != 0) {
    return false;
  }
  write_png(*target);
  return true;
}

}  // namespace

base::Result<std::vector<uint8_t>> encode_jpeg(const Image& image,
                                               const JpegEncodeOptions& options) {
  CC_TRY(check_image(image));
  JpegEncode e{};
  e.cinfo.err = jpeg_std_error(&e.err);
  e.err.error_exit = on_jpeg_error;
  e.err.output_message = on_jpeg_message;
  e.cinfo.client_data = &e;
  e.image = &image;
  e.options = &options;
  const bool ok = run_compress(e);
  jpeg_destroy_compress(&e.cinfo);
  std::vector<uint8_t> out;
  if (ok) {
    out.assign(e.buffer, e.buffer + e.size);
  }
  std::free(e.buffer);
  if (!ok) {
    return base::internal_error(std::string("JPEG encode: ") + e.message);
  }
  return out;
}

base::Result<std::vector<uint8_t>> encode_png(const Image& image) {
  CC_TRY(check_image(image));
  std::vector<uint8_t> out;
  std::vector<png_bytep> rows(image.height);
  for (int y = 0; y < image.height; ++y) {
    rows[y] = const_cast<png_bytep>(image.pixels.data() + y * image.row_bytes());
  }
  PngEncode e{};
  e.out = &out;
  e.rows = rows.data();
  e.image = &image;
  e.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e, on_png_error, on_png_warning);
  if (e.png == nullptr) {
    return base::internal_error("PNG encode: cannot create an encoder");
  }
  const bool ok = run_write_png(e);
  png_destroy_write_struct(&e.png, e.info != nullptr ? &e.info : nullptr);
  if (!ok) {
    return base::internal_error(std::string("PNG encode: ") + e.message);
  }
  return out;
}

base::Result<std::vector<uint8_t>> encode_webp(const Image& image, int quality, bool lossless) {
  CC_TRY(check_image(image));
  std::vector<uint8_t> rgb;
  const uint8_t* pixels = image.pixels.data();
  if (image.channels == 1) {
    rgb.resize(image.pixels.size() * 3);
    for (size_t i = 0; i < image.pixels.size(); ++i) {
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = image.pixels[i];
    }
    pixels = rgb.data();
  }
  const int stride = image.width * 3;
  uint8_t* encoded = nullptr;
  const size_t size =
      lossless ? WebPEncodeLosslessRGB(pixels, image.width, image.height, stride, &encoded)
               : WebPEncodeRGB(pixels, image.width, image.height, stride,
                               static_cast<float>(quality), &encoded);
  if (size == 0) {
    WebPFree(encoded);
    return base::internal_error("WebP encode failed");
  }
  std::vector<uint8_t> out(encoded, encoded + size);
  WebPFree(encoded);
  return out;
}

}  // namespace clearcut::media
