#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/note_signer.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/result.h"

namespace clearcut::audit {

// Limits on untrusted notes. C2SP signed-note asks verifiers to accept at least 16 signatures;
// 100 is the limit of golang.org/x/mod/sumdb/note. A checkpoint is a few hundred bytes.
inline constexpr size_t kMaxNoteBytes = 1 << 20;
inline constexpr size_t kMaxNoteSignatures = 100;

// One signature line of a signed note: `— <key name> base64(key ID || signature)`.
struct NoteSignature {
  std::string key_name;
  uint32_t key_id = 0;
  std::vector<uint8_t> signature;  // the bytes after the key ID

  bool operator==(const NoteSignature&) const = default;
};

// A C2SP signed note: text (ending in a newline) and its signatures, not yet verified.
struct Note {
  std::string text;
  std::vector<NoteSignature> signatures;
};

// A note whose signatures were checked against a set of trusted keys.
struct OpenedNote {
  std::string text;
  std::vector<NoteSignature> verified;    // from trusted keys, each verified
  std::vector<NoteSignature> unverified;  // from unknown keys, ignored (signed-note §Signatures)
};

// Checks that `text` can be a note's text: non-empty, ends in a newline, valid UTF-8 without
// ASCII control characters other than newline (signed-note §Format).
base::Status check_note_text(std::string_view text);

// Parses a signed note strictly (signed-note §Format): valid UTF-8, no control characters but
// newline, text separated from the signatures by the last blank line, every signature line
// well-formed (valid key name, canonical base64 of at least 5 bytes), at least one and at most
// kMaxNoteSignatures of them, no two with the same key name and ID (tlog-checkpoint
// §Signatures), at most kMaxNoteBytes in all. Errors are kInvalidArgument.
base::Result<Note> parse_note(std::string_view message);

// The wire form of a note; fails on what parse_note would reject.
base::Result<std::string> format_note(const Note& note);

// Signs `text` with each signer and returns the signed note.
base::Result<std::string> sign_note(std::string_view text, std::span<const NoteSigner> signers);
base::Result<std::string> sign_note(std::string_view text, const NoteSigner& signer);

// Parses and verifies a signed note (signed-note §Signatures): signatures from unknown keys are
// ignored; a signature from a known key (same name and key ID) that fails rejects the whole
// note (kDataLoss); a note with no verified signature is kUnauthenticated. Two verifiers with
// the same name and key ID are ambiguous (kInvalidArgument).
base::Result<OpenedNote> open_note(std::string_view message,
                                   std::span<const NoteVerifier> verifiers);
base::Result<OpenedNote> open_note(std::string_view message, const NoteVerifier& verifier);

}  // namespace clearcut::audit
