#pragma once

// Internal to clearcut::xmp (includes exiv2; no public header includes this): exiv2 set up
// once for the process, an image opened from memory, its bytes after writing, and the adapter
// where exiv2's exceptions stop.

#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <vector>

// exiv2 0.27 hands images out as std::auto_ptr, deprecated in C++11 and kept by libstdc++.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>
#pragma GCC diagnostic pop

#include "clearcut/base/result.h"

namespace clearcut::xmp::internal {

enum class ImageFormat { kJpeg, kPng };

// JPEG or PNG from the signature; kUnsupported otherwise.
base::Result<ImageFormat> detect_format(std::span<const uint8_t> asset);

// Once per process: exiv2 silent (damage is reported through Result), its XMP toolkit under a
// lock (it is not thread-safe without one), and the IPTC extension namespace under the prefix
// readers expect. Thread-safe.
void initialise_exiv2();

using ImagePtr = std::unique_ptr<Exiv2::Image>;

// The JPEG or PNG held in memory (exiv2 keeps a copy), its metadata read. Errors: kUnsupported
// (other formats), kInvalidArgument (exiv2 cannot open it as what its signature says), and
// exiv2's exceptions, which callers stop with guarded().
base::Result<ImagePtr> open_image(std::span<const uint8_t> asset, const char* what);

// The image's bytes after writeMetadata().
base::Result<std::vector<uint8_t>> written_bytes(Exiv2::Image& image, const char* what);

// An invalid_argument error "WHAT: message".
base::Error damaged(const char* what, const std::string& message);

// Runs `fn`; exiv2 reports damage by throwing, and this is where those exceptions stop.
template <typename Fn>
auto guarded(const char* what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Exiv2::AnyError& e) {
    return damaged(what, e.what());
  } catch (const std::bad_alloc&) {
    return base::Error(base::ErrorCode::kResourceExhausted, std::string(what) + ": out of memory");
  } catch (const std::exception& e) {
    return damaged(what, e.what());
  }
}

}  // namespace clearcut::xmp::internal
