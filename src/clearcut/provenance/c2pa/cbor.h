#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/base/result.h"

namespace clearcut::c2pa {

// One CBOR data item (RFC 8949): integers, byte and text strings, arrays, maps (in their
// encoded order, duplicates kept), tags, floats and simple values. A plain value type, shared
// by the C2PA reader and writer. Maps keep insertion order so that an encoder reproduces what
// the writer chose; C2PA hashes raw bytes, so nothing here ever needs to re-encode input.
class CborValue {
 public:
  enum class Type {
    kUnsigned,  // major type 0
    kNegative,  // major type 1: the value is -1 - argument
    kBytes,
    kText,
    kArray,
    kMap,
    kTag,
    kFloat,
    kBool,
    kNull,
    kUndefined,
    kSimple,  // any other simple value (major type 7), number in argument
  };

  CborValue() : type_(Type::kNull) {}

  static CborValue unsigned_int(uint64_t value);
  static CborValue integer(int64_t value);
  static CborValue negative(uint64_t n);  // the integer -1 - n, covering all of major type 1
  static CborValue bytes(std::vector<uint8_t> value);
  static CborValue bytes(std::span<const uint8_t> value);
  static CborValue text(std::string value);
  static CborValue array(std::vector<CborValue> items = {});
  static CborValue map();
  static CborValue tag(uint64_t number, CborValue content);
  static CborValue floating(double value);
  static CborValue boolean(bool value);
  static CborValue null() { return CborValue(); }
  static CborValue undefined();
  static CborValue simple(uint8_t number);

  Type type() const { return type_; }
  bool is_text() const { return type_ == Type::kText; }
  bool is_bytes() const { return type_ == Type::kBytes; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_map() const { return type_ == Type::kMap; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_integer() const { return type_ == Type::kUnsigned || type_ == Type::kNegative; }

  // The integer value when it fits in int64_t.
  std::optional<int64_t> as_int() const;
  // The raw argument: the unsigned value, n for a negative -1-n, the tag or simple number.
  uint64_t argument() const { return argument_; }
  double as_float() const { return float_; }
  bool as_bool() const { return argument_ != 0; }
  // Text (UTF-8) of a text string; empty for other types.
  const std::string& text_value() const { return string_; }
  // Bytes of a byte string; empty for other types.
  std::span<const uint8_t> bytes_value() const;

  // Arrays: the elements. Maps: size() is the number of entries, see key_at/value_at.
  // Tags: exactly one item, the tagged content (see tag_content).
  size_t size() const { return type_ == Type::kMap ? items_.size() / 2 : items_.size(); }
  const CborValue& at(size_t i) const { return items_[i]; }
  const std::vector<CborValue>& items() const { return items_; }
  const CborValue& key_at(size_t i) const { return items_[2 * i]; }
  const CborValue& value_at(size_t i) const { return items_[2 * i + 1]; }
  const CborValue& tag_content() const { return items_.front(); }

  // Map look-up of the first entry whose key is the text `key` (or integer `key`).
  const CborValue* find(std::string_view key) const;
  const CborValue* find(int64_t key) const;
  // Text / bytes member of a map, when present with that type.
  std::optional<std::string> find_text(std::string_view key) const;

  // Building.
  CborValue& push_back(CborValue item);                 // arrays
  CborValue& insert(CborValue key, CborValue value);    // maps, appended in order
  CborValue& insert(std::string key, CborValue value);  // maps, text key

  bool operator==(const CborValue& other) const;

 private:
  Type type_;
  uint64_t argument_ = 0;
  double float_ = 0;
  std::string string_;  // text, or bytes for byte strings
  std::vector<CborValue> items_;
};

// Limits that keep a hostile input from exhausting the stack or memory.
struct CborLimits {
  int max_depth = 64;
};

// Decodes exactly one CBOR item that must span all of `data`. Definite and indefinite
// lengths are accepted; malformed or truncated input, reserved values and trailing bytes are
// errors (kInvalidArgument), never crashes.
base::Result<CborValue> decode_cbor(std::span<const uint8_t> data, CborLimits limits = {});

// Decodes one item from the front of `data` and reports how many bytes it used.
base::Result<CborValue> decode_cbor_prefix(std::span<const uint8_t> data, size_t* consumed,
                                           CborLimits limits = {});

// Encodes with definite lengths and the shortest argument encoding (RFC 8949 §4.2.1 "preferred
// serialization"); map entries in their stored order. Floats use the shortest exact width of
// 32 or 64 bits.
std::vector<uint8_t> encode_cbor(const CborValue& value);
void encode_cbor(const CborValue& value, std::vector<uint8_t>* out);

// A human-readable, JSON-like rendering for diagnostics (bytes as h'hex', truncated).
std::string cbor_to_diagnostic(const CborValue& value, size_t max_bytes = 16);

}  // namespace clearcut::c2pa
