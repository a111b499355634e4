#include "clearcut/base/base64.h"

#include <array>

namespace clearcut::base {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr int8_t kInvalid = -1;

constexpr std::array<int8_t, 256> make_decode_table() {
  std::array<int8_t, 256> table{};
  for (int8_t& entry : table) {
    entry = kInvalid;
  }
  for (int i = 0; i < 64; ++i) {
    table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr std::array<int8_t, 256> kDecode = make_decode_table();

}  // namespace

std::string base64_encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += kAlphabet[(group >> 6) & 63];
    out += kAlphabet[group & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t group = uint32_t{bytes[i]} << 16;
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t group = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8);
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += kAlphabet[(group >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::vector<uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  }
  std::vector<uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    size_t digits = last ? 4 - padding : 4;
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      uint32_t value = 0;
      if (j < digits) {
        int8_t decoded = kDecode[static_cast<uint8_t>(text[i + j])];
        if (decoded == kInvalid) {
          return std::nullopt;  // also rejects '=' before the end
        }
        value = static_cast<uint32_t>(decoded);
      }
      group = (group << 6) | value;
    }
    out.push_back(static_cast<uint8_t>(group >> 16));
    if (digits >= 3) {
      out.push_back(static_cast<uint8_t>(group >> 8));
    }
    if (digits == 4) {
      out.push_back(static_cast<uint8_t>(group));
    }
    // Canonical: the bits of the last digit that no output byte uses must be zero (§3.5).
    if (digits == 2 && (group & 0xffff) != 0) {
      return std::nullopt;
    }
    if (digits == 3 && (group & 0xff) != 0) {
      return std::nullopt;
    }
  }
  return out;
}

std::string base64url_encode(std::span<const uint8_t> bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  for (char& c : out) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

std::optional<std::vector<uint8_t>> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string standard;
  standard.reserve(text.size() + 3);
  for (char c : text) {
    if (c == '+' || c == '/' || c == '=') {
      return std::nullopt;
    }
    standard += c == '-' ? '+' : c == '_' ? '/' : c;
  }
  standard.append((4 - standard.size() % 4) % 4, '=');
  return base64_decode(standard);
}

}  // namespace clearcut::base
