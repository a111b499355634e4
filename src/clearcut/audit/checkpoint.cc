#include "clearcut/audit/checkpoint.h"

#include <algorithm>
#include <limits>

#include "clearcut/audit/note.h"
#include "clearcut/base/base64.h"

namespace clearcut::audit {
namespace {

base::Error malformed(std::string why) {
  return base::invalid_argument("malformed checkpoint: " + std::move(why));
}

base::Status check_line(std::string_view line, std::string_view what) {
  if (line.empty()) {
    return malformed(std::string(what) + " is empty");
  }
  if (line.find('\n') != std::string_view::npos) {
    return malformed(std::string(what) + " contains a newline");
  }
  return {};
}

// tlog-checkpoint §Conventions: an ASCII decimal with no extra leading zeros.
std::optional<uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

base::Result<std::string> checkpoint_text(const Checkpoint& checkpoint) {
  CC_TRY(check_line(checkpoint.origin, "the origin"));
  for (const std::string& extension : checkpoint.extensions) {
    CC_TRY(check_line(extension, "an extension line"));
  }
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                     base::base64_encode(checkpoint.root_hash) + "\n";
  for (const std::string& extension : checkpoint.extensions) {
    text += extension + "\n";
  }
  auto valid = check_note_text(text);
  if (!valid) {
    return malformed(valid.error().message());
  }
  return text;
}

base::Result<Checkpoint> parse_checkpoint_text(std::string_view text) {
  auto valid = check_note_text(text);
  if (!valid) {
    return malformed(valid.error().message());
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text.substr(0, text.size() - 1);;) {
    size_t newline = rest.find('\n');
    lines.push_back(rest.substr(0, newline));
    if (newline == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(newline + 1);
  }
  if (lines.size() < 3) {
    return malformed("fewer than three lines");
  }
  if (std::any_of(lines.begin(), lines.end(), [](std::string_view l) { return l.empty(); })) {
    return malformed("an empty line");
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  auto size = parse_decimal(lines[1]);
  if (!size) {
    return malformed("the tree size is not a decimal number without leading zeros");
  }
  checkpoint.size = *size;
  auto root = base::base64_decode(lines[2]);
  if (!root || root->size() != checkpoint.root_hash.size()) {
    return malformed("the root hash is not canonical base64 of 32 bytes");
  }
  std::copy(root->begin(), root->end(), checkpoint.root_hash.begin());
  for (size_t i = 3; i < lines.size(); ++i) {
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

base::Result<std::string> sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& signer) {
  std::string text = CC_TRY(checkpoint_text(checkpoint));
  return sign_note(text, signer);
}

base::Result<Checkpoint> open_checkpoint(std::string_view signed_note, const NoteVerifier& verifier,
                                         std::string_view origin) {
  OpenedNote note = CC_TRY(open_note(signed_note, verifier));
  Checkpoint checkpoint = CC_TRY(parse_checkpoint_text(note.text));
  if (checkpoint.origin != origin) {
    return base::invalid_argument("checkpoint of log \"" + checkpoint.origin + "\", want \"" +
                                  std::string(origin) + "\"");
  }
  return checkpoint;
}

}  // namespace clearcut::audit
