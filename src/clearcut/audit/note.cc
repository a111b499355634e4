#include "clearcut/audit/note.h"

#include <algorithm>
#include <set>
#include <utility>

#include "clearcut/audit/note_key.h"
#include "clearcut/base/base64.h"
#include "clearcut/base/utf8.h"

namespace clearcut::audit {
namespace {

// Em dash (U+2014) and a space: the start of every signature line.
constexpr std::string_view kSignaturePrefix = "\xe2\x80\x94 ";

base::Error malformed(std::string why) {
  return base::invalid_argument("malformed note: " + std::move(why));
}

// Valid UTF-8 with no ASCII control character but newline (signed-note §Format). In UTF-8 the
// bytes below 0x20 only ever encode those characters, so a byte scan finds them.
base::Status check_characters(std::string_view text) {
  if (auto bad = base::find_invalid_utf8(text)) {
    return malformed("invalid UTF-8 at byte " + std::to_string(*bad));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (static_cast<uint8_t>(text[i]) < 0x20 && text[i] != '\n') {
      return malformed("control character at byte " + std::to_string(i));
    }
  }
  return {};
}

base::Result<NoteSignature> parse_signature_line(std::string_view line) {
  if (!line.starts_with(kSignaturePrefix)) {
    return malformed("a signature line does not start with an em dash and a space");
  }
  line.remove_prefix(kSignaturePrefix.size());
  size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return malformed("a signature line has no space between key name and signature");
  }
  std::string_view name = line.substr(0, space);
  if (!is_valid_key_name(name)) {
    return malformed("invalid key name in a signature line");
  }
  auto blob = base::base64_decode(line.substr(space + 1));
  if (!blob) {
    return malformed("a signature is not canonical base64");
  }
  if (blob->size() < 5) {
    return malformed("a signature is shorter than a key ID and one byte");
  }
  NoteSignature signature;
  signature.key_name = std::string(name);
  signature.key_id = (uint32_t{(*blob)[0]} << 24) | (uint32_t{(*blob)[1]} << 16) |
                     (uint32_t{(*blob)[2]} << 8) | uint32_t{(*blob)[3]};
  signature.signature.assign(blob->begin() + 4, blob->end());
  return signature;
}

std::string format_signature_line(const NoteSignature& signature) {
  std::vector<uint8_t> blob;
  blob.reserve(4 + signature.signature.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    blob.push_back(static_cast<uint8_t>(signature.key_id >> shift));
  }
  blob.insert(blob.end(), signature.signature.begin(), signature.signature.end());
  return std::string(kSignaturePrefix) + signature.key_name + " " + base::base64_encode(blob) +
         "\n";
}

base::Status check_distinct_keys(const std::vector<NoteSignature>& signatures) {
  std::set<std::pair<std::string_view, uint32_t>> seen;
  for (const NoteSignature& signature : signatures) {
    if (!seen.emplace(signature.key_name, signature.key_id).second) {
      return malformed("two signatures from key " + signature.key_name + "+" +
                       key_id_hex(signature.key_id));
    }
  }
  return {};
}

}  // namespace

base::Status check_note_text(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return malformed("the text does not end in a newline");
  }
  return check_characters(text);
}

base::Result<Note> parse_note(std::string_view message) {
  if (message.size() > kMaxNoteBytes) {
    return malformed("larger than " + std::to_string(kMaxNoteBytes) + " bytes");
  }
  CC_TRY(check_characters(message));
  if (message.empty() || message.back() != '\n') {
    return malformed("does not end in a newline");
  }
  // The text ends at the last blank line; the text itself may contain blank lines.
  size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos) {
    return malformed("no blank line before the signatures");
  }
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view block = message.substr(split + 2);
  if (block.empty()) {
    return malformed("no signatures");
  }
  while (!block.empty()) {
    size_t newline = block.find('\n');  // present: the message ends in a newline
    if (note.signatures.size() == kMaxNoteSignatures) {
      return malformed("more than " + std::to_string(kMaxNoteSignatures) + " signatures");
    }
    note.signatures.push_back(CC_TRY(parse_signature_line(block.substr(0, newline))));
    block.remove_prefix(newline + 1);
  }
  CC_TRY(check_distinct_keys(note.signatures));
  return note;
}

base::Result<std::string> format_note(const Note& note) {
  CC_TRY(check_note_text(note.text));
  if (note.signatures.empty()) {
    return malformed("no signatures");
  }
  if (note.signatures.size() > kMaxNoteSignatures) {
    return malformed("more than " + std::to_string(kMaxNoteSignatures) + " signatures");
  }
  for (const NoteSignature& signature : note.signatures) {
    if (!is_valid_key_name(signature.key_name)) {
      return malformed("invalid key name");
    }
    if (signature.signature.empty()) {
      return malformed("an empty signature");
    }
  }
  CC_TRY(check_distinct_keys(note.signatures));
  std::string out = note.text + "\n";
  for (const NoteSignature& signature : note.signatures) {
    out += format_signature_line(signature);
  }
  if (out.size() > kMaxNoteBytes) {
    return malformed("larger than " + std::to_string(kMaxNoteBytes) + " bytes");
  }
  return out;
}

base::Result<std::string> sign_note(std::string_view text, std::span<const NoteSigner> signers) {
  Note note;
  note.text = std::string(text);
  for (const NoteSigner& signer : signers) {
    note.signatures.push_back({signer.name(), signer.key_id(), signer.sign(text)});
  }
  return format_note(note);
}

base::Result<std::string> sign_note(std::string_view text, const NoteSigner& signer) {
  return sign_note(text, std::span<const NoteSigner>(&signer, 1));
}

base::Result<OpenedNote> open_note(std::string_view message,
                                   std::span<const NoteVerifier> verifiers) {
  for (size_t i = 0; i < verifiers.size(); ++i) {
    for (size_t j = i + 1; j < verifiers.size(); ++j) {
      if (verifiers[i].name() == verifiers[j].name() &&
          verifiers[i].key_id() == verifiers[j].key_id()) {
        return base::invalid_argument("ambiguous verifiers: two keys named " + verifiers[i].name() +
                                      " with key ID " + key_id_hex(verifiers[i].key_id()));
      }
    }
  }
  Note note = CC_TRY(parse_note(message));
  OpenedNote opened;
  for (NoteSignature& signature : note.signatures) {
    auto known = std::find_if(verifiers.begin(), verifiers.end(), [&](const NoteVerifier& v) {
      return v.name() == signature.key_name && v.key_id() == signature.key_id;
    });
    if (known == verifiers.end()) {
      opened.unverified.push_back(std::move(signature));
      continue;
    }
    if (!known->verify(note.text, signature.signature)) {
      return base::Error(base::ErrorCode::kDataLoss,
                         "invalid signature from key " + signature.key_name + "+" +
                             key_id_hex(signature.key_id) + ": the note was altered");
    }
    opened.verified.push_back(std::move(signature));
  }
  if (opened.verified.empty()) {
    return base::Error(base::ErrorCode::kUnauthenticated, "no signature from a trusted key");
  }
  opened.text = std::move(note.text);
  return opened;
}

base::Result<OpenedNote> open_note(std::string_view message, const NoteVerifier& verifier) {
  return open_note(message, std::span<const NoteVerifier>(&verifier, 1));
}

}  // namespace clearcut::audit
