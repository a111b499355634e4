#include "clearcut/provenance/xmp/exiv2_image.h"

#include <cstring>
#include <mutex>

namespace clearcut::xmp::internal {
namespace {

constexpr const char* kIptcExtNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

std::recursive_mutex& toolkit_mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

// The XMP toolkit under exiv2 is not thread-safe unless given a lock (exiv2 XmpParser docs).
void lock_toolkit(void* data, bool lock) {
  auto* mutex = static_cast<std::recursive_mutex*>(data);
  if (lock) {
    mutex->lock();
  } else {
    mutex->unlock();
  }
}

}  // namespace

base::Result<ImageFormat> detect_format(std::span<const uint8_t> asset) {
  if (asset.size() >= 3 && asset[0] == 0xFF && asset[1] == 0xD8 && asset[2] == 0xFF) {
    return ImageFormat::kJpeg;
  }
  if (asset.size() >= sizeof kPngSignature &&
      std::memcmp(asset.data(), kPngSignature, sizeof kPngSignature) == 0) {
    return ImageFormat::kPng;
  }
  return base::Error(base::ErrorCode::kUnsupported,
                     "XMP labels and photo metadata are read and written in JPEG and PNG only");
}

void initialise_exiv2() {
  static std::once_flag once;
  std::call_once(once, [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    Exiv2::XmpParser::initialize(lock_toolkit, &toolkit_mutex());
    // exiv2 writes the IPTC extension namespace with the prefix "iptcExt"; the IPTC standard
    // and most readers use "Iptc4xmpExt" (the namespace, not the prefix, is what counts in
    // RDF, but simple detectors match the text). Rebinding it here, once for the process,
    // makes exiv2 read and write that prefix.
    Exiv2::XmpProperties::registerNs(kIptcExtNamespace, "Iptc4xmpExt");
  });
}

base::Error damaged(const char* what, const std::string& message) {
  return base::invalid_argument(std::string(what) + ": " + message);
}

base::Result<ImagePtr> open_image(std::span<const uint8_t> asset, const char* what) {
  ImageFormat format = CC_TRY(detect_format(asset));
  initialise_exiv2();
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  ImagePtr image(
      Exiv2::ImageFactory::open(asset.data(), static_cast<long>(asset.size())).release());
#pragma GCC diagnostic pop
  if (image == nullptr) {
    return damaged(what, "cannot open the image");
  }
  int type = image->imageType();
  if ((format == ImageFormat::kJpeg && type != Exiv2::ImageType::jpeg) ||
      (format == ImageFormat::kPng && type != Exiv2::ImageType::png)) {
    return damaged(what, "exiv2 does not read this file as JPEG or PNG");
  }
  image->readMetadata();
  return image;
}

base::Result<std::vector<uint8_t>> written_bytes(Exiv2::Image& image, const char* what) {
  Exiv2::BasicIo& io = image.io();
  if (io.open() != 0) {
    return base::internal_error(std::string(what) + ": cannot reopen the written image");
  }
  std::vector<uint8_t> out(io.size());
  size_t read = out.empty() ? 0 : io.read(out.data(), static_cast<long>(out.size()));
  io.close();
  if (read != out.size()) {
    return base::internal_error(std::string(what) + ": short read of the written image");
  }
  return out;
}

}  // namespace clearcut::xmp::internal
