// libFuzzer target for stored audio fingerprints (clearcut/audio/fingerprint_codec.h): the text
// comes from the API and the database. Any input must decode or give an Error, never a crash or
// an allocation past the input's size; whatever decodes must encode back to the same text. Each
// input is tried as the text and, to reach the layout behind the base64, as the bytes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "clearcut/audio/fingerprint_codec.h"
#include "clearcut/base/base64.h"

namespace clearcut::audio {
namespace {

void check(const std::string& text) {
  auto fp = decode_fingerprint(text);
  if (!fp.has_value()) {
    if (fp.error().field() != "audio_fingerprint") {
      __builtin_trap();
    }
    return;
  }
  for (const Landmark& l : fp->landmarks) {
    if (landmark_dt(l.hash) < 1 || l.frame < 0 || l.frame >= fp->frames) {
      __builtin_trap();
    }
  }
  auto again = encode_fingerprint(*fp);
  if (!again.has_value() || *again != text) {
    __builtin_trap();
  }
}

}  // namespace
}  // namespace clearcut::audio

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  clearcut::audio::check(std::string(reinterpret_cast<const char*>(data), size));
  clearcut::audio::check(clearcut::base::base64_encode(bytes));
  return 0;
}
