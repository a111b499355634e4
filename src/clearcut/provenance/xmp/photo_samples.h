#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Test support only: the metadata of a phone photo, made on the spot with exiv2, and a look at
// the EXIF a copy carries. Not linked into the library.
namespace clearcut::xmp::test_samples {

struct SampleExif {
  int orientation = 1;  // written when not 0
  bool gps = false;     // a GPS IFD: latitude, longitude, altitude
  int width = 0;        // Exif.Photo.PixelXDimension and Y, when not 0
  int height = 0;
  std::vector<uint8_t> thumbnail_jpeg{};  // IFD1, when not empty
};

// A TIFF structure as PhotoMetadata::exif holds it: IFD0 Make "clearcut", Model "test phone",
// the orientation; an Exif IFD with DateTimeOriginal (and the pixel size); GPS and IFD1 as asked.
std::vector<uint8_t> sample_exif(const SampleExif& sample);

// A well-formed ICC profile header of `size` bytes (at least 132: header and an empty tag
// table) for display devices in `colour_space` ("RGB ", "CMYK", "GRAY"), its tail a pattern.
std::vector<uint8_t> sample_icc_profile(const char colour_space[4], size_t size);

// `jpeg` with an APP1 XMP segment holding `packet` (any text, well-formed or not) right after
// its SOI marker: the packet exactly as a photo tool wrote it, which exiv2 would not write.
std::vector<uint8_t> jpeg_with_xmp_packet(std::span<const uint8_t> jpeg, std::string_view packet);

// Every EXIF tag of a TIFF structure: exiv2's key ("Exif.GPSInfo.GPSLatitude") to its value
// as text.
std::map<std::string, std::string> exif_tags(std::span<const uint8_t> tiff);

}  // namespace clearcut::xmp::test_samples
