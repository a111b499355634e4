#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/merkle_hash.h"
#include "clearcut/audit/note_signer.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

// A C2SP tlog-checkpoint: the log's commitment to its Merkle tree at one size, carried as the
// text of a signed note. Plain value.
struct Checkpoint {
  std::string origin;                   // names the log; also its signing key's name
  uint64_t size = 0;                    // number of leaves
  Hash root_hash{};                     // RFC 9162 root of the first `size` leaves
  std::vector<std::string> extensions;  // opaque extra lines (NOT RECOMMENDED by the spec)

  bool operator==(const Checkpoint&) const = default;
};

// The note text (tlog-checkpoint §Note text): origin, decimal size, base64 root hash, then any
// extension lines, each ending in a newline. Fails (kInvalidArgument) on an empty origin or
// extension line, or on a newline or control character in one.
base::Result<std::string> checkpoint_text(const Checkpoint& checkpoint);

// Parses checkpoint note text strictly: valid note text (check_note_text), at least three
// non-empty lines, a decimal size without leading zeros that fits 64 bits, a canonical base64
// root of 32 bytes. Errors are kInvalidArgument.
base::Result<Checkpoint> parse_checkpoint_text(std::string_view text);

// The signed note of a checkpoint, signed by the log's key (tlog-checkpoint §Ed25519 Log
// Signatures; the key name should be the origin).
base::Result<std::string> sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& signer);

// Opens a signed checkpoint: the note must carry a valid signature from `verifier` (see
// open_note for the error codes), its text must parse, and its origin must be `origin`
// (kInvalidArgument otherwise: a checkpoint of another log).
base::Result<Checkpoint> open_checkpoint(std::string_view signed_note, const NoteVerifier& verifier,
                                         std::string_view origin);

}  // namespace clearcut::audit
