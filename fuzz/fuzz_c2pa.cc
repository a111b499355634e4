// libFuzzer target for the C2PA reader: the input is an asset (JPEG, PNG, BMFF or anything),
// and also, to reach the parsers behind the containers directly, a manifest store, a CBOR
// item and a COSE_Sign1. Nothing may crash, leak or trip a sanitizer; errors are fine.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/cose.h"
#include "clearcut/provenance/c2pa/manifest_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clearcut::c2pa;
  std::span<const uint8_t> input(data, size);

  ReadOptions options;
  options.now = 1700000000;  // deterministic validity checks
  auto report = read_c2pa(input, options);
  if (report.has_value() && report->has_manifest()) {
    (void)report->failure_codes();
    (void)report->ai.terms();
  }

  auto store = ManifestStore::parse(std::vector<uint8_t>(input.begin(), input.end()));
  if (store.has_value()) {
    (void)store->active_manifest();
  }

  if (auto value = decode_cbor(input); value.has_value()) {
    // Whatever decodes must encode and decode again to the same value.
    std::vector<uint8_t> encoded = encode_cbor(*value);
    auto again = decode_cbor(encoded);
    if (!again.has_value() || !(*again == *value)) {
      __builtin_trap();
    }
  }
  (void)CoseSign1::parse(input);
  return 0;
}
