// libFuzzer target for the audit log's untrusted-input parsers: signed notes, checkpoint text,
// verifier keys and base64. Beyond not crashing, checks that whatever parses re-serializes to
// the same bytes (the parsers accept canonical forms only).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/checkpoint.h"
#include "clearcut/audit/note.h"
#include "clearcut/audit/note_signer.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/base64.h"

namespace clearcut::audit {
namespace {

constexpr std::string_view kOrigin = "fuzz.example/log";

const NoteSigner& fuzz_signer() {
  static const NoteSigner signer =
      NoteSigner::from_seed(kOrigin, std::vector<uint8_t>(32, 7)).value();
  return signer;
}

// A valid signature line and checkpoint text, so that the fuzzer also reaches the signature
// parser and the checkpoint parser without first having to discover em dashes and base64.
const std::string& valid_signature_lines() {
  static const std::string lines = [] {
    std::string note = sign_note("x\n", fuzz_signer()).value();
    return note.substr(note.rfind("\n\n") + 2);
  }();
  return lines;
}
const std::string& valid_text() {
  static const std::string text =
      checkpoint_text({std::string(kOrigin), 3, hash_leaf(std::string_view("x")), {}}).value();
  return text;
}

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_note(std::string_view message) {
  auto note = parse_note(message);
  if (note) {
    auto formatted = format_note(*note);
    require(formatted.has_value() && *formatted == message);
    auto checkpoint = parse_checkpoint_text(note->text);
    if (checkpoint) {
      auto text = checkpoint_text(*checkpoint);
      require(text.has_value() && *text == note->text);
    }
  }
  (void)open_note(message, fuzz_signer().verifier());
  (void)open_checkpoint(message, fuzz_signer().verifier(), kOrigin);
}

void fuzz_one(std::string_view input) {
  check_note(input);
  check_note(std::string(input) + "\n" + valid_signature_lines());  // input as the note text
  check_note(valid_text() + "\n" + std::string(input));             // input as signatures

  auto checkpoint = parse_checkpoint_text(input);
  if (checkpoint) {
    auto text = checkpoint_text(*checkpoint);
    require(text.has_value() && *text == input);
  }
  auto verifier = NoteVerifier::parse(input);
  if (verifier) {
    require(NoteVerifier::parse(verifier->to_string()).has_value());
  }
  auto decoded = base::base64_decode(input);
  if (decoded) {
    require(base::base64_encode(*decoded) == input);
  }
}

}  // namespace
}  // namespace clearcut::audit

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clearcut::audit::fuzz_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
