#include "clearcut/provenance/xmp/photo_metadata.h"

#include <zlib.h>

#include <cstring>
#include <iterator>
#include <optional>
#include <string_view>

#include "clearcut/provenance/xmp/exiv2_image.h"

namespace clearcut::xmp {

using base::Result;

namespace {

constexpr const char* kWhat = "photo metadata";
constexpr const char* kOrientationKey = "Exif.Image.Orientation";
constexpr const char* kXmpOrientationKey = "Xmp.tiff.Orientation";
constexpr const char* kInstanceIdKey = "Xmp.xmpMM.InstanceID";
// dcterms:provenance is C2PA's reference from XMP to a manifest kept outside the file: the
// original's, not the copy's.
constexpr const char* kDcTermsNamespace = "http://purl.org/dc/terms/";
// The EXIF and XMP properties that state the picture's size in pixels.
constexpr const char* kExifWidthKeys[] = {"Exif.Photo.PixelXDimension", "Exif.Image.ImageWidth"};
constexpr const char* kExifHeightKeys[] = {"Exif.Photo.PixelYDimension", "Exif.Image.ImageLength"};
constexpr const char* kXmpWidthKeys[] = {"Xmp.exif.PixelXDimension", "Xmp.tiff.ImageWidth"};
constexpr const char* kXmpHeightKeys[] = {"Xmp.exif.PixelYDimension", "Xmp.tiff.ImageLength"};
// XMP's copies of EXIF (Exif 2.3 metadata for XMP, CIPA DC-010), and the GPS ones among them.
constexpr std::string_view kXmpExifPrefixes[] = {"Xmp.exif.", "Xmp.exifEX.", "Xmp.tiff.",
                                                 "Xmp.aux."};
constexpr std::string_view kXmpGpsPrefix = "Xmp.exif.GPS";

int valid_orientation(long value) {
  return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
}

Exiv2::ExifData decode_exif(const std::vector<uint8_t>& tiff, Exiv2::ByteOrder* order) {
  Exiv2::ExifData exif;
  Exiv2::ByteOrder found =
      Exiv2::ExifParser::decode(exif, tiff.data(), static_cast<uint32_t>(tiff.size()));
  if (order != nullptr) {
    *order = found == Exiv2::invalidByteOrder ? Exiv2::littleEndian : found;
  }
  return exif;
}

std::vector<uint8_t> encode_exif(const Exiv2::ExifData& exif, Exiv2::ByteOrder order) {
  Exiv2::Blob blob;
  Exiv2::ExifParser::encode(blob, order, exif);
  return std::vector<uint8_t>(blob.begin(), blob.end());
}

Result<Exiv2::XmpData> decode_xmp(const std::string& packet) {
  Exiv2::XmpData xmp;
  if (Exiv2::XmpParser::decode(xmp, packet) != 0) {
    return internal::damaged(kWhat, "the XMP toolkit cannot parse the packet");
  }
  return xmp;
}

Result<std::string> encode_xmp(const Exiv2::XmpData& xmp) {
  std::string packet;
  if (!xmp.empty() && Exiv2::XmpParser::encode(packet, xmp) != 0) {
    return internal::damaged(kWhat, "the XMP toolkit cannot write the packet");
  }
  return packet;
}

// The four-letter colour space of an ICC profile's header (ICC.1:2022 §7.2.6), "" if too short.
std::string icc_colour_space(const std::vector<uint8_t>& icc) {
  if (icc.size() < 20) {
    return "";
  }
  std::string space(icc.begin() + 16, icc.begin() + 20);
  while (!space.empty() && space.back() == ' ') {
    space.pop_back();
  }
  return space;
}

template <typename Data, typename Pred>
void erase_where(Data& data, Pred pred) {
  for (auto it = data.begin(); it != data.end();) {
    it = pred(*it) ? data.erase(it) : std::next(it);
  }
}

bool has_prefix(const std::string& key, std::string_view prefix) {
  return std::string_view(key).substr(0, prefix.size()) == prefix;
}

// The copy's EXIF: upright, its size, no thumbnail, minus what is stripped.
std::vector<uint8_t> exif_for_copy(const std::vector<uint8_t>& tiff, int width, int height,
                                   const MetadataStrip& strip) {
  Exiv2::ByteOrder order = Exiv2::littleEndian;
  Exiv2::ExifData exif = decode_exif(tiff, &order);
  Exiv2::ExifThumb(exif).erase();
  if (exif.findKey(Exiv2::ExifKey(kOrientationKey)) != exif.end()) {
    exif[kOrientationKey] = uint16_t{1};
  }
  for (const char* key : kExifWidthKeys) {
    if (exif.findKey(Exiv2::ExifKey(key)) != exif.end()) {
      exif[key] = static_cast<uint32_t>(width);
    }
  }
  for (const char* key : kExifHeightKeys) {
    if (exif.findKey(Exiv2::ExifKey(key)) != exif.end()) {
      exif[key] = static_cast<uint32_t>(height);
    }
  }
  if (strip.gps) {
    erase_where(exif, [](const Exiv2::Exifdatum& d) {
      return d.groupName() == "GPSInfo" || d.key() == "Exif.Image.GPSTag";
    });
  }
  return exif.empty() ? std::vector<uint8_t>() : encode_exif(exif, order);
}

// The copy's XMP: as exif_for_copy, and without what names the original rendition (its
// instance id and manifest).
Result<std::string> xmp_for_copy(const std::string& packet, int width, int height,
                                 const MetadataStrip& strip) {
  Exiv2::XmpData xmp = CC_TRY(decode_xmp(packet));
  erase_where(xmp, [&](const Exiv2::Xmpdatum& d) {
    const std::string key = d.key();
    bool exif_copy = false;
    for (std::string_view prefix : kXmpExifPrefixes) {
      exif_copy |= has_prefix(key, prefix);
    }
    const bool manifest =
        d.tagName() == "provenance" && Exiv2::XmpProperties::ns(d.groupName()) == kDcTermsNamespace;
    return key == kInstanceIdKey || manifest || (strip.exif && exif_copy) ||
           ((strip.gps || strip.exif) && has_prefix(key, kXmpGpsPrefix));
  });
  auto set_present = [&](const char* key, const std::string& value) {
    if (xmp.findKey(Exiv2::XmpKey(key)) != xmp.end()) {
      xmp[key] = value;
    }
  };
  set_present(kXmpOrientationKey, "1");
  for (const char* key : kXmpWidthKeys) {
    set_present(key, std::to_string(width));
  }
  for (const char* key : kXmpHeightKeys) {
    set_present(key, std::to_string(height));
  }
  return encode_xmp(xmp);
}

Result<PhotoMetadata> read_metadata(std::span<const uint8_t> asset) {
  internal::ImagePtr image = CC_TRY(internal::open_image(asset, kWhat));
  PhotoMetadata out;
  const Exiv2::ExifData& exif = image->exifData();
  std::optional<long> orientation;
  if (!exif.empty()) {
    auto it = exif.findKey(Exiv2::ExifKey(kOrientationKey));
    if (it != exif.end() && it->count() > 0) {
      orientation = it->toLong();
    }
    Exiv2::ByteOrder order = image->byteOrder();
    out.exif = encode_exif(exif, order == Exiv2::invalidByteOrder ? Exiv2::littleEndian : order);
  }
  if (image->iccProfileDefined()) {
    const Exiv2::DataBuf* icc = image->iccProfile();
    out.icc.assign(icc->pData_, icc->pData_ + icc->size_);
  }
  const std::string& packet = image->xmpPacket();
  if (!packet.empty()) {
    auto xmp = decode_xmp(packet);
    if (xmp.has_value()) {
      out.xmp = packet;
      auto it = xmp->findKey(Exiv2::XmpKey(kXmpOrientationKey));
      if (!orientation && it != xmp->end() && it->count() > 0) {
        orientation = it->toLong();
      }
    } else {
      out.notes.push_back(
          "the original's XMP packet cannot be parsed by the XMP toolkit (a repeated property?) "
          "and is not carried into the copy");
    }
  }
  out.orientation = valid_orientation(orientation.value_or(1));
  return out;
}

Result<PhotoMetadata> copy_metadata(const PhotoMetadata& original, int width, int height,
                                    const MetadataStrip& strip) {
  PhotoMetadata out;
  out.notes = original.notes;
  if (!original.exif.empty() && !strip.exif) {
    out.exif = exif_for_copy(original.exif, width, height, strip);
  }
  if (!original.icc.empty()) {
    const std::string space = icc_colour_space(original.icc);
    if (space == "RGB") {
      out.icc = original.icc;
    } else {
      out.notes.push_back("the original's ICC profile describes " +
                          (space.empty() ? std::string("no known") : space) +
                          " colour, not the RGB of the copy, and is not carried into it");
    }
  }
  if (!original.xmp.empty()) {
    out.xmp = CC_TRY(xmp_for_copy(original.xmp, width, height, strip));
  }
  return out;
}

// A PNG chunk (ISO/IEC 15948 §5.3): length, type, data, CRC-32 of type and data.
void append_png_chunk(std::vector<uint8_t>& out, const char type[4],
                      std::span<const uint8_t> data) {
  const uint32_t length = static_cast<uint32_t>(data.size());
  for (int shift : {24, 16, 8, 0}) {
    out.push_back(static_cast<uint8_t>(length >> shift));
  }
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(type), 4);
  crc = crc32(crc, data.data(), static_cast<uInt>(data.size()));
  for (int shift : {24, 16, 8, 0}) {
    out.push_back(static_cast<uint8_t>(crc >> shift));
  }
}

// iCCP (PNG §11.3.3.3): a profile name, a zero, compression method 0, the deflated profile.
Result<std::vector<uint8_t>> iccp_data(const std::vector<uint8_t>& icc) {
  static constexpr char kName[] = "ICC profile";
  std::vector<uint8_t> data(kName, kName + sizeof kName);  // with its terminating zero
  data.push_back(0);
  uLongf size = compressBound(static_cast<uLong>(icc.size()));
  const size_t header = data.size();
  data.resize(header + size);
  if (compress2(data.data() + header, &size, icc.data(), static_cast<uLong>(icc.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    return base::internal_error("photo metadata: cannot compress the ICC profile");
  }
  data.resize(header + size);
  return data;
}

// The PNG with iCCP and eXIf right after IHDR (both must precede IDAT), replacing any there
// were, and sRGB with them when a profile comes (a PNG holds one or the other, §11.3.3.5).
Result<std::vector<uint8_t>> with_png_chunks(std::span<const uint8_t> png,
                                             const PhotoMetadata& metadata) {
  constexpr size_t kSignature = 8;
  std::vector<uint8_t> out(png.begin(), png.begin() + kSignature);
  size_t at = kSignature;
  bool first = true;
  while (at + 12 <= png.size()) {
    const uint32_t length = (uint32_t{png[at]} << 24) | (uint32_t{png[at + 1]} << 16) |
                            (uint32_t{png[at + 2]} << 8) | png[at + 3];
    if (length > png.size() - at - 12) {
      return internal::damaged(kWhat, "a PNG chunk runs past the end of the file");
    }
    const std::string_view type(reinterpret_cast<const char*>(png.data() + at + 4), 4);
    const size_t end = at + 12 + length;
    if (first != (type == "IHDR")) {
      return internal::damaged(kWhat, "IHDR is not the first PNG chunk");
    }
    const bool replaced = (type == "eXIf" && !metadata.exif.empty()) ||
                          ((type == "iCCP" || type == "sRGB") && !metadata.icc.empty());
    if (!replaced) {
      out.insert(out.end(), png.begin() + at, png.begin() + end);
    }
    if (first) {
      if (!metadata.icc.empty()) {
        append_png_chunk(out, "iCCP", CC_TRY(iccp_data(metadata.icc)));
      }
      if (!metadata.exif.empty()) {
        append_png_chunk(out, "eXIf", metadata.exif);
      }
    }
    first = false;
    at = end;
  }
  if (at != png.size() || first) {
    return internal::damaged(kWhat, "the PNG's chunks do not end with the file");
  }
  return out;
}

Result<std::vector<uint8_t>> write_metadata(std::span<const uint8_t> asset,
                                            const PhotoMetadata& metadata) {
  const internal::ImageFormat format = CC_TRY(internal::detect_format(asset));
  if (metadata.exif.empty() && metadata.icc.empty() && metadata.xmp.empty()) {
    return std::vector<uint8_t>(asset.begin(), asset.end());
  }
  internal::ImagePtr image = CC_TRY(internal::open_image(asset, kWhat));
  if (!metadata.xmp.empty()) {
    Exiv2::XmpData merged = CC_TRY(decode_xmp(metadata.xmp));
    for (const Exiv2::Xmpdatum& datum : image->xmpData()) {
      auto it = merged.findKey(Exiv2::XmpKey(datum.key()));
      if (it != merged.end()) {
        merged.erase(it);
      }
      merged.add(datum);
    }
    image->setXmpData(merged);
    image->writeXmpFromPacket(false);
  }
  if (format == internal::ImageFormat::kJpeg) {
    if (!metadata.exif.empty()) {
      image->setExifData(decode_exif(metadata.exif, nullptr));
    }
    if (!metadata.icc.empty()) {
      Exiv2::DataBuf icc(metadata.icc.data(), static_cast<long>(metadata.icc.size()));
      image->setIccProfile(icc, false);
    }
  } else {
    // PNG's EXIF and profile go in as chunks of their own below.
    image->clearExifData();
    image->clearIccProfile();
  }
  image->writeMetadata();
  std::vector<uint8_t> written = CC_TRY(internal::written_bytes(*image, kWhat));
  if (format == internal::ImageFormat::kPng) {
    return with_png_chunks(written, metadata);
  }
  return written;
}

}  // namespace

Result<PhotoMetadata> read_photo_metadata(std::span<const uint8_t> asset) {
  return internal::guarded(kWhat, [&] { return read_metadata(asset); });
}

Result<PhotoMetadata> metadata_for_copy(const PhotoMetadata& original, int width, int height,
                                        const MetadataStrip& strip) {
  return internal::guarded(kWhat, [&] { return copy_metadata(original, width, height, strip); });
}

Result<std::vector<uint8_t>> write_photo_metadata(std::span<const uint8_t> asset,
                                                  const PhotoMetadata& metadata) {
  return internal::guarded(kWhat, [&] { return write_metadata(asset, metadata); });
}

}  // namespace clearcut::xmp
