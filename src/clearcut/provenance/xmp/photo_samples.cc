#include "clearcut/provenance/xmp/photo_samples.h"

#include <cstring>

#include "clearcut/provenance/xmp/exiv2_image.h"

namespace clearcut::xmp::test_samples {

std::vector<uint8_t> sample_exif(const SampleExif& sample) {
  internal::initialise_exiv2();
  Exiv2::ExifData exif;
  exif["Exif.Image.Make"] = "clearcut";
  exif["Exif.Image.Model"] = "test phone";
  if (sample.orientation != 0) {
    exif["Exif.Image.Orientation"] = static_cast<uint16_t>(sample.orientation);
  }
  exif["Exif.Photo.DateTimeOriginal"] = "2026:11:02 14:31:07";
  if (sample.width > 0) {
    exif["Exif.Photo.PixelXDimension"] = static_cast<uint32_t>(sample.width);
    exif["Exif.Photo.PixelYDimension"] = static_cast<uint32_t>(sample.height);
  }
  if (sample.gps) {
    exif["Exif.GPSInfo.GPSVersionID"] = "2 3 0 0";
    exif["Exif.GPSInfo.GPSLatitudeRef"] = "N";
    Exiv2::URationalValue latitude;
    latitude.read("51/1 30/1 2670/100");
    exif["Exif.GPSInfo.GPSLatitude"] = latitude;
    exif["Exif.GPSInfo.GPSLongitudeRef"] = "W";
    Exiv2::URationalValue longitude;
    longitude.read("0/1 7/1 3960/100");
    exif["Exif.GPSInfo.GPSLongitude"] = longitude;
  }
  if (!sample.thumbnail_jpeg.empty()) {
    Exiv2::ExifThumb(exif).setJpegThumbnail(sample.thumbnail_jpeg.data(),
                                            static_cast<long>(sample.thumbnail_jpeg.size()));
  }
  Exiv2::Blob blob;
  Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, exif);
  return std::vector<uint8_t>(blob.begin(), blob.end());
}

std::vector<uint8_t> sample_icc_profile(const char colour_space[4], size_t size) {
  std::vector<uint8_t> icc(size < 132 ? 132 : size);
  for (size_t i = 132; i < icc.size(); ++i) {
    icc[i] = static_cast<uint8_t>(i * 31 + 7);
  }
  const uint32_t length = static_cast<uint32_t>(icc.size());
  for (int i = 0; i < 4; ++i) {
    icc[static_cast<size_t>(i)] = static_cast<uint8_t>(length >> (24 - 8 * i));
  }
  icc[8] = 4;  // version 4.3
  icc[9] = 0x30;
  std::memcpy(&icc[12], "mntr", 4);
  std::memcpy(&icc[16], colour_space, 4);
  std::memcpy(&icc[20], "XYZ ", 4);
  std::memcpy(&icc[36], "acsp", 4);
  return icc;
}

std::map<std::string, std::string> exif_tags(std::span<const uint8_t> tiff) {
  internal::initialise_exiv2();
  Exiv2::ExifData exif;
  Exiv2::ExifParser::decode(exif, tiff.data(), static_cast<uint32_t>(tiff.size()));
  std::map<std::string, std::string> tags;
  for (const Exiv2::Exifdatum& datum : exif) {
    tags[datum.key()] = datum.toString();
  }
  return tags;
}

std::vector<uint8_t> jpeg_with_xmp_packet(std::span<const uint8_t> jpeg, std::string_view packet) {
  const std::string payload =
      std::string("http://ns.adobe.com/xap/1.0/") + '\0' + std::string(packet);
  std::vector<uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
  out.push_back(0xFF);
  out.push_back(0xE1);
  out.push_back(static_cast<uint8_t>((payload.size() + 2) >> 8));
  out.push_back(static_cast<uint8_t>(payload.size() + 2));
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

}  // namespace clearcut::xmp::test_samples
