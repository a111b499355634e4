#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "clearcut/base/result.h"

namespace clearcut::crypto {

// An RFC 3161 time-stamp, a TimeStampResp or the TimeStampToken inside one, checked against
// the bytes it should cover (C2PA §10.3.2.5 keeps them in `sigTst` and `sigTst2`).
struct TimeStampCheck {
  int64_t gen_time = 0;  // Unix seconds
  std::string tsa;       // signer subject, for diagnostics
  bool imprint_matches = false;
  bool signature_valid = false;  // the TSA's CMS signature; its chain is not evaluated

  bool validated() const { return imprint_matches && signature_valid; }
};

// Reads the token and checks its message imprint against `message` and its CMS signature.
// Errors (kInvalidArgument) when the token cannot be read at all.
base::Result<TimeStampCheck> check_time_stamp(std::span<const uint8_t> token,
                                              std::span<const uint8_t> message);

}  // namespace clearcut::crypto
