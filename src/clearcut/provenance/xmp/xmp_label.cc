#include "clearcut/provenance/xmp/xmp_label.h"

#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string_view>

// exiv2 0.27 hands images out as std::auto_ptr, deprecated in C++11 and kept by libstdc++.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

namespace clearcut::xmp {

using base::Result;

namespace {

constexpr const char* kIptcExtNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
constexpr const char* kDigitalSourceTypeKey = "Xmp.Iptc4xmpExt.DigitalSourceType";
constexpr const char* kInstanceIdKey = "Xmp.xmpMM.InstanceID";
constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

enum class Format { kJpeg, kPng };

Result<Format> detect(std::span<const uint8_t> asset) {
  if (asset.size() >= 3 && asset[0] == 0xFF && asset[1] == 0xD8 && asset[2] == 0xFF) {
    return Format::kJpeg;
  }
  if (asset.size() >= sizeof kPngSignature &&
      std::memcmp(asset.data(), kPngSignature, sizeof kPngSignature) == 0) {
    return Format::kPng;
  }
  return base::Error(base::ErrorCode::kUnsupported,
                     "XMP labels are read and written in JPEG "
                     "and PNG only");
}

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

void initialise_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Damage is reported through Result, not printed by the library.
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    Exiv2::XmpParser::initialize(lock_toolkit, &toolkit_mutex());
    // exiv2 writes the IPTC extension namespace with the prefix "iptcExt"; the IPTC standard
    // and most readers use "Iptc4xmpExt" (the namespace, not the prefix, is what counts in
    // RDF, but simple detectors match the text). Rebinding it here, once for the process,
    // makes exiv2 read and write that prefix.
    Exiv2::XmpProperties::registerNs(kIptcExtNamespace, "Iptc4xmpExt");
  });
}

base::Error damaged(const std::string& message) {
  return base::invalid_argument("XMP: " + message);
}

// Opens the image in memory and reads its metadata; a packet exiv2 could not parse is an
// error (exiv2 itself only warns and carries on with no XMP).
using ImagePtr = std::unique_ptr<Exiv2::Image>;

Result<ImagePtr> open_image(std::span<const uint8_t> asset) {
  Format format = CC_TRY(detect(asset));
  initialise_once();
  ImagePtr image(
      Exiv2::ImageFactory::open(asset.data(), static_cast<long>(asset.size())).release());
  if (image == nullptr) {
    return damaged("cannot open the image");
  }
  int type = image->imageType();
  if ((format == Format::kJpeg && type != Exiv2::ImageType::jpeg) ||
      (format == Format::kPng && type != Exiv2::ImageType::png)) {
    return damaged("exiv2 does not read this file as JPEG or PNG");
  }
  image->readMetadata();
  if (!image->xmpPacket().empty() && image->xmpData().empty()) {
    Exiv2::XmpData probe;
    if (Exiv2::XmpParser::decode(probe, image->xmpPacket()) != 0) {
      return damaged("the XMP packet is not well-formed RDF/XML");
    }
  }
  return image;
}

std::optional<std::string> text_of(const Exiv2::XmpData& data, const char* key) {
  auto it = data.findKey(Exiv2::XmpKey(key));
  if (it == data.end()) {
    return std::nullopt;
  }
  return it->toString();
}

Result<XmpLabel> read_label(std::span<const uint8_t> asset) {
  ImagePtr image = CC_TRY(open_image(asset));
  XmpLabel label;
  label.digital_source_type = text_of(image->xmpData(), kDigitalSourceTypeKey);
  label.instance_id = text_of(image->xmpData(), kInstanceIdKey);
  return label;
}

Result<std::vector<uint8_t>> write_label(std::span<const uint8_t> asset, const XmpLabel& label) {
  ImagePtr image = CC_TRY(open_image(asset));
  Exiv2::XmpData& data = image->xmpData();
  if (label.digital_source_type) {
    data[kDigitalSourceTypeKey] = *label.digital_source_type;
  }
  if (label.instance_id) {
    data[kInstanceIdKey] = *label.instance_id;
  }
  image->writeMetadata();
  Exiv2::BasicIo& io = image->io();
  if (io.open() != 0) {
    return base::internal_error("XMP: cannot reopen the written image");
  }
  std::vector<uint8_t> out(io.size());
  size_t read = out.empty() ? 0 : io.read(out.data(), static_cast<long>(out.size()));
  io.close();
  if (read != out.size()) {
    return base::internal_error("XMP: short read of the written image");
  }
  return out;
}

// exiv2 reports damage by throwing; this adapter is where those exceptions stop.
template <typename Fn>
auto guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Exiv2::AnyError& e) {
    return damaged(e.what());
  } catch (const std::bad_alloc&) {
    return base::Error(base::ErrorCode::kResourceExhausted, "XMP: out of memory");
  } catch (const std::exception& e) {
    return damaged(e.what());
  }
}

}  // namespace

Result<XmpLabel> read_xmp_label(std::span<const uint8_t> asset) {
  return guarded([&] { return read_label(asset); });
}

Result<std::vector<uint8_t>> write_xmp_label(std::span<const uint8_t> asset,
                                             const XmpLabel& label) {
  return guarded([&] { return write_label(asset, label); });
}

}  // namespace clearcut::xmp

#pragma GCC diagnostic pop
