#include "clearcut/provenance/c2pa/cbor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "clearcut/base/hex.h"

namespace clearcut::c2pa {

using base::Error;
using base::Result;

CborValue CborValue::unsigned_int(uint64_t value) {
  CborValue v;
  v.type_ = Type::kUnsigned;
  v.argument_ = value;
  return v;
}

CborValue CborValue::integer(int64_t value) {
  CborValue v;
  if (value >= 0) {
    v.type_ = Type::kUnsigned;
    v.argument_ = static_cast<uint64_t>(value);
  } else {
    v.type_ = Type::kNegative;
    // -1 - n == value  =>  n == -(value + 1), computed without overflow for INT64_MIN.
    v.argument_ = static_cast<uint64_t>(-(value + 1));
  }
  return v;
}

CborValue CborValue::negative(uint64_t n) {
  CborValue v;
  v.type_ = Type::kNegative;
  v.argument_ = n;
  return v;
}

CborValue CborValue::bytes(std::vector<uint8_t> value) {
  CborValue v;
  v.type_ = Type::kBytes;
  v.string_.assign(value.begin(), value.end());
  return v;
}

CborValue CborValue::bytes(std::span<const uint8_t> value) {
  CborValue v;
  v.type_ = Type::kBytes;
  v.string_.assign(value.begin(), value.end());
  return v;
}

CborValue CborValue::text(std::string value) {
  CborValue v;
  v.type_ = Type::kText;
  v.string_ = std::move(value);
  return v;
}

CborValue CborValue::array(std::vector<CborValue> items) {
  CborValue v;
  v.type_ = Type::kArray;
  v.items_ = std::move(items);
  return v;
}

CborValue CborValue::map() {
  CborValue v;
  v.type_ = Type::kMap;
  return v;
}

CborValue CborValue::tag(uint64_t number, CborValue content) {
  CborValue v;
  v.type_ = Type::kTag;
  v.argument_ = number;
  v.items_.push_back(std::move(content));
  return v;
}

CborValue CborValue::floating(double value) {
  CborValue v;
  v.type_ = Type::kFloat;
  v.float_ = value;
  return v;
}

CborValue CborValue::boolean(bool value) {
  CborValue v;
  v.type_ = Type::kBool;
  v.argument_ = value ? 1 : 0;
  return v;
}

CborValue CborValue::undefined() {
  CborValue v;
  v.type_ = Type::kUndefined;
  return v;
}

CborValue CborValue::simple(uint8_t number) {
  CborValue v;
  v.type_ = Type::kSimple;
  v.argument_ = number;
  return v;
}

std::optional<int64_t> CborValue::as_int() const {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (type_ == Type::kUnsigned && argument_ <= kMax) {
    return static_cast<int64_t>(argument_);
  }
  if (type_ == Type::kNegative && argument_ <= kMax) {
    return -1 - static_cast<int64_t>(argument_);
  }
  return std::nullopt;
}

std::span<const uint8_t> CborValue::bytes_value() const {
  if (type_ != Type::kBytes) {
    return {};
  }
  return {reinterpret_cast<const uint8_t*>(string_.data()), string_.size()};
}

const CborValue* CborValue::find(std::string_view key) const {
  if (type_ != Type::kMap) {
    return nullptr;
  }
  for (size_t i = 0; i + 1 < items_.size(); i += 2) {
    if (items_[i].type_ == Type::kText && items_[i].string_ == key) {
      return &items_[i + 1];
    }
  }
  return nullptr;
}

const CborValue* CborValue::find(int64_t key) const {
  if (type_ != Type::kMap) {
    return nullptr;
  }
  for (size_t i = 0; i + 1 < items_.size(); i += 2) {
    if (items_[i].is_integer() && items_[i].as_int() == key) {
      return &items_[i + 1];
    }
  }
  return nullptr;
}

std::optional<std::string> CborValue::find_text(std::string_view key) const {
  const CborValue* v = find(key);
  if (v == nullptr || !v->is_text()) {
    return std::nullopt;
  }
  return v->string_;
}

CborValue& CborValue::push_back(CborValue item) {
  CC_CHECK(type_ == Type::kArray);
  items_.push_back(std::move(item));
  return *this;
}

CborValue& CborValue::insert(CborValue key, CborValue value) {
  CC_CHECK(type_ == Type::kMap);
  items_.push_back(std::move(key));
  items_.push_back(std::move(value));
  return *this;
}

CborValue& CborValue::insert(std::string key, CborValue value) {
  return insert(text(std::move(key)), std::move(value));
}

bool CborValue::operator==(const CborValue& other) const {
  if (type_ != other.type_ || argument_ != other.argument_ || string_ != other.string_ ||
      items_ != other.items_) {
    return false;
  }
  // Bitwise so that NaN equals itself and -0.0 differs from 0.0, as their encodings do.
  return std::memcmp(&float_, &other.float_, sizeof(double)) == 0;
}

namespace {

constexpr uint8_t kBreak = 0xFF;

Error malformed(std::string message, size_t offset) {
  return base::invalid_argument("CBOR: " + message + " at byte " + std::to_string(offset));
}

double half_to_double(uint16_t half) {
  // RFC 8949 Appendix D.
  int exponent = (half >> 10) & 0x1F;
  int mantissa = half & 0x3FF;
  double value;
  if (exponent == 0) {
    value = std::ldexp(mantissa, -24);
  } else if (exponent != 31) {
    value = std::ldexp(mantissa + 1024, exponent - 25);
  } else {
    value = mantissa == 0 ? std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::quiet_NaN();
  }
  return (half & 0x8000) ? -value : value;
}

class Decoder {
 public:
  Decoder(std::span<const uint8_t> data, CborLimits limits) : data_(data), limits_(limits) {}

  size_t offset() const { return pos_; }

  Result<CborValue> item(int depth) {
    if (depth > limits_.max_depth) {
      return malformed("nesting deeper than " + std::to_string(limits_.max_depth), pos_);
    }
    if (pos_ >= data_.size()) {
      return malformed("truncated item", pos_);
    }
    size_t start = pos_;
    uint8_t initial = data_[pos_++];
    int major = initial >> 5;
    int info = initial & 0x1F;

    if (major == 7) {
      return simple_or_float(info, start);
    }
    if (info == 31) {
      return indefinite(major, depth, start);
    }
    uint64_t arg = CC_TRY(argument(info, start));
    switch (major) {
      case 0:
        return CborValue::unsigned_int(arg);
      case 1:
        return CborValue::negative(arg);
      case 2:
      case 3: {
        if (arg > data_.size() - pos_) {
          return malformed("string longer than the input", start);
        }
        std::span<const uint8_t> chunk = data_.subspan(pos_, static_cast<size_t>(arg));
        pos_ += static_cast<size_t>(arg);
        if (major == 2) {
          return CborValue::bytes(chunk);
        }
        return CborValue::text(std::string(chunk.begin(), chunk.end()));
      }
      case 4: {
        // Every item takes at least one byte: a count beyond the remaining input is malformed,
        // which also bounds the memory a hostile count can reserve.
        if (arg > data_.size() - pos_) {
          return malformed("array longer than the input", start);
        }
        std::vector<CborValue> items;
        items.reserve(static_cast<size_t>(arg));
        for (uint64_t i = 0; i < arg; ++i) {
          items.push_back(CC_TRY(item(depth + 1)));
        }
        return CborValue::array(std::move(items));
      }
      case 5: {
        if (arg > (data_.size() - pos_) / 2) {
          return malformed("map longer than the input", start);
        }
        CborValue map = CborValue::map();
        for (uint64_t i = 0; i < arg; ++i) {
          CborValue key = CC_TRY(item(depth + 1));
          CborValue value = CC_TRY(item(depth + 1));
          map.insert(std::move(key), std::move(value));
        }
        return map;
      }
      case 6: {
        CborValue content = CC_TRY(item(depth + 1));
        return CborValue::tag(arg, std::move(content));
      }
    }
    return malformed("unknown major type", start);
  }

 private:
  Result<uint64_t> argument(int info, size_t start) {
    if (info < 24) {
      return static_cast<uint64_t>(info);
    }
    size_t width;
    switch (info) {
      case 24:
        width = 1;
        break;
      case 25:
        width = 2;
        break;
      case 26:
        width = 4;
        break;
      case 27:
        width = 8;
        break;
      default:
        return malformed("reserved additional information " + std::to_string(info), start);
    }
    if (width > data_.size() - pos_) {
      return malformed("truncated argument", start);
    }
    uint64_t value = 0;
    for (size_t i = 0; i < width; ++i) {
      value = (value << 8) | data_[pos_ + i];
    }
    pos_ += width;
    return value;
  }

  Result<CborValue> simple_or_float(int info, size_t start) {
    if (info < 20) {
      return CborValue::simple(static_cast<uint8_t>(info));
    }
    switch (info) {
      case 20:
        return CborValue::boolean(false);
      case 21:
        return CborValue::boolean(true);
      case 22:
        return CborValue::null();
      case 23:
        return CborValue::undefined();
      case 24: {
        if (pos_ >= data_.size()) {
          return malformed("truncated simple value", start);
        }
        uint8_t number = data_[pos_++];
        if (number < 32) {
          return malformed("simple value " + std::to_string(number) + " in two bytes", start);
        }
        return CborValue::simple(number);
      }
      case 25: {
        uint64_t bits = CC_TRY(argument(25, start));
        return CborValue::floating(half_to_double(static_cast<uint16_t>(bits)));
      }
      case 26: {
        uint64_t bits = CC_TRY(argument(26, start));
        uint32_t narrow = static_cast<uint32_t>(bits);
        float f;
        std::memcpy(&f, &narrow, sizeof f);
        return CborValue::floating(static_cast<double>(f));
      }
      case 27: {
        uint64_t bits = CC_TRY(argument(27, start));
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return CborValue::floating(d);
      }
      case 31:
        return malformed("unexpected break", start);
      default:
        return malformed("reserved simple value", start);
    }
  }

  bool at_break() const { return pos_ < data_.size() && data_[pos_] == kBreak; }

  Result<CborValue> indefinite(int major, int depth, size_t start) {
    switch (major) {
      case 2:
      case 3: {
        std::string joined;
        while (!at_break()) {
          if (pos_ >= data_.size()) {
            return malformed("unterminated indefinite string", start);
          }
          // RFC 8949 §3.2.3: chunks are definite strings of the same major type.
          size_t chunk_start = pos_;
          uint8_t initial = data_[pos_];
          if ((initial >> 5) != major || (initial & 0x1F) == 31) {
            return malformed("bad chunk in indefinite string", chunk_start);
          }
          CborValue chunk = CC_TRY(item(depth + 1));
          if (major == 2) {
            auto b = chunk.bytes_value();
            joined.append(b.begin(), b.end());
          } else {
            joined += chunk.text_value();
          }
        }
        ++pos_;  // break
        if (major == 2) {
          std::vector<uint8_t> bytes(joined.begin(), joined.end());
          return CborValue::bytes(std::move(bytes));
        }
        return CborValue::text(std::move(joined));
      }
      case 4: {
        CborValue array = CborValue::array();
        while (!at_break()) {
          if (pos_ >= data_.size()) {
            return malformed("unterminated indefinite array", start);
          }
          array.push_back(CC_TRY(item(depth + 1)));
        }
        ++pos_;
        return array;
      }
      case 5: {
        CborValue map = CborValue::map();
        while (!at_break()) {
          if (pos_ >= data_.size()) {
            return malformed("unterminated indefinite map", start);
          }
          CborValue key = CC_TRY(item(depth + 1));
          if (at_break()) {
            return malformed("indefinite map with a key and no value", pos_);
          }
          CborValue value = CC_TRY(item(depth + 1));
          map.insert(std::move(key), std::move(value));
        }
        ++pos_;
        return map;
      }
      default:
        return malformed("indefinite length on major type " + std::to_string(major), start);
    }
  }

  std::span<const uint8_t> data_;
  CborLimits limits_;
  size_t pos_ = 0;
};

void put_head(int major, uint64_t arg, std::vector<uint8_t>* out) {
  auto m = static_cast<uint8_t>(major << 5);
  if (arg < 24) {
    out->push_back(static_cast<uint8_t>(m | arg));
    return;
  }
  int width;
  if (arg <= 0xFF) {
    out->push_back(m | 24);
    width = 1;
  } else if (arg <= 0xFFFF) {
    out->push_back(m | 25);
    width = 2;
  } else if (arg <= 0xFFFFFFFFu) {
    out->push_back(m | 26);
    width = 4;
  } else {
    out->push_back(m | 27);
    width = 8;
  }
  for (int i = width - 1; i >= 0; --i) {
    out->push_back(static_cast<uint8_t>(arg >> (8 * i)));
  }
}

void append_escaped(std::string_view text, std::string* out) {
  for (char c : text) {
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      *out += '?';
    } else {
      *out += c;
    }
  }
}

void diagnostic(const CborValue& v, size_t max_bytes, std::string* out) {
  switch (v.type()) {
    case CborValue::Type::kUnsigned:
      *out += std::to_string(v.argument());
      break;
    case CborValue::Type::kNegative:
      if (auto i = v.as_int()) {
        *out += std::to_string(*i);
      } else {
        *out += "-1-" + std::to_string(v.argument());
      }
      break;
    case CborValue::Type::kBytes: {
      auto b = v.bytes_value();
      *out += "h'" + base::to_hex(b.first(std::min(b.size(), max_bytes)));
      if (b.size() > max_bytes) {
        *out += "...(" + std::to_string(b.size()) + " bytes)";
      }
      *out += "'";
      break;
    }
    case CborValue::Type::kText:
      *out += '"';
      append_escaped(v.text_value(), out);
      *out += '"';
      break;
    case CborValue::Type::kArray:
      *out += '[';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) {
          *out += ", ";
        }
        diagnostic(v.at(i), max_bytes, out);
      }
      *out += ']';
      break;
    case CborValue::Type::kMap:
      *out += '{';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) {
          *out += ", ";
        }
        diagnostic(v.key_at(i), max_bytes, out);
        *out += ": ";
        diagnostic(v.value_at(i), max_bytes, out);
      }
      *out += '}';
      break;
    case CborValue::Type::kTag:
      *out += std::to_string(v.argument()) + "(";
      diagnostic(v.tag_content(), max_bytes, out);
      *out += ')';
      break;
    case CborValue::Type::kFloat:
      *out += std::to_string(v.as_float());
      break;
    case CborValue::Type::kBool:
      *out += v.as_bool() ? "true" : "false";
      break;
    case CborValue::Type::kNull:
      *out += "null";
      break;
    case CborValue::Type::kUndefined:
      *out += "undefined";
      break;
    case CborValue::Type::kSimple:
      *out += "simple(" + std::to_string(v.argument()) + ")";
      break;
  }
}

}  // namespace

Result<CborValue> decode_cbor_prefix(std::span<const uint8_t> data, size_t* consumed,
                                     CborLimits limits) {
  Decoder decoder(data, limits);
  CborValue value = CC_TRY(decoder.item(0));
  *consumed = decoder.offset();
  return value;
}

Result<CborValue> decode_cbor(std::span<const uint8_t> data, CborLimits limits) {
  size_t consumed = 0;
  CborValue value = CC_TRY(decode_cbor_prefix(data, &consumed, limits));
  if (consumed != data.size()) {
    return malformed(std::to_string(data.size() - consumed) + " trailing bytes", consumed);
  }
  return value;
}

void encode_cbor(const CborValue& value, std::vector<uint8_t>* out) {
  switch (value.type()) {
    case CborValue::Type::kUnsigned:
      put_head(0, value.argument(), out);
      break;
    case CborValue::Type::kNegative:
      put_head(1, value.argument(), out);
      break;
    case CborValue::Type::kBytes: {
      auto b = value.bytes_value();
      put_head(2, b.size(), out);
      out->insert(out->end(), b.begin(), b.end());
      break;
    }
    case CborValue::Type::kText:
      put_head(3, value.text_value().size(), out);
      out->insert(out->end(), value.text_value().begin(), value.text_value().end());
      break;
    case CborValue::Type::kArray:
      put_head(4, value.size(), out);
      for (const CborValue& item : value.items()) {
        encode_cbor(item, out);
      }
      break;
    case CborValue::Type::kMap:
      put_head(5, value.size(), out);
      for (const CborValue& item : value.items()) {
        encode_cbor(item, out);
      }
      break;
    case CborValue::Type::kTag:
      put_head(6, value.argument(), out);
      encode_cbor(value.tag_content(), out);
      break;
    case CborValue::Type::kFloat: {
      double d = value.as_float();
      // Single precision only when exact: never for NaN (its payload would be cut) nor for
      // values beyond float's range (converting those is undefined behaviour).
      bool fits = !std::isnan(d) &&
                  (std::isinf(d) || std::fabs(d) <= std::numeric_limits<float>::max()) &&
                  static_cast<double>(static_cast<float>(d)) == d;
      if (fits) {
        auto f = static_cast<float>(d);
        uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        out->push_back(0xFA);
        for (int i = 3; i >= 0; --i) {
          out->push_back(static_cast<uint8_t>(bits >> (8 * i)));
        }
      } else {
        uint64_t bits;
        std::memcpy(&bits, &d, sizeof bits);
        out->push_back(0xFB);
        for (int i = 7; i >= 0; --i) {
          out->push_back(static_cast<uint8_t>(bits >> (8 * i)));
        }
      }
      break;
    }
    case CborValue::Type::kBool:
      out->push_back(value.as_bool() ? 0xF5 : 0xF4);
      break;
    case CborValue::Type::kNull:
      out->push_back(0xF6);
      break;
    case CborValue::Type::kUndefined:
      out->push_back(0xF7);
      break;
    case CborValue::Type::kSimple:
      if (value.argument() < 24) {
        out->push_back(static_cast<uint8_t>(0xE0 | value.argument()));
      } else {
        out->push_back(0xF8);
        out->push_back(static_cast<uint8_t>(value.argument()));
      }
      break;
  }
}

std::vector<uint8_t> encode_cbor(const CborValue& value) {
  std::vector<uint8_t> out;
  encode_cbor(value, &out);
  return out;
}

std::string cbor_to_diagnostic(const CborValue& value, size_t max_bytes) {
  std::string out;
  diagnostic(value, max_bytes, &out);
  return out;
}

}  // namespace clearcut::c2pa
