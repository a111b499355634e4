#include "clearcut/store/sql/sql_value.h"

namespace clearcut::store::sql {

const SqlValue* SqlRowReader::next() {
  if (column_ >= row_.size()) {
    if (bad_column_ < 0) {
      bad_column_ = static_cast<int>(column_);
    }
    ++column_;
    return nullptr;
  }
  return &row_[column_++];
}

int64_t SqlRowReader::int64() {
  const SqlValue* value = next();
  if (value == nullptr || std::holds_alternative<std::monostate>(*value)) {
    return 0;
  }
  if (const auto* i = std::get_if<int64_t>(value)) {
    return *i;
  }
  if (const auto* b = std::get_if<bool>(value)) {
    return *b ? 1 : 0;
  }
  if (bad_column_ < 0) {
    bad_column_ = static_cast<int>(column_ - 1);
  }
  return 0;
}

std::string SqlRowReader::text() {
  const SqlValue* value = next();
  if (value == nullptr || std::holds_alternative<std::monostate>(*value)) {
    return {};
  }
  if (const auto* s = std::get_if<std::string>(value)) {
    return *s;
  }
  if (bad_column_ < 0) {
    bad_column_ = static_cast<int>(column_ - 1);
  }
  return {};
}

bool SqlRowReader::boolean() {
  const SqlValue* value = next();
  if (value != nullptr) {
    if (const auto* b = std::get_if<bool>(value)) {
      return *b;
    }
    if (const auto* i = std::get_if<int64_t>(value); i != nullptr && (*i == 0 || *i == 1)) {
      return *i == 1;
    }
  }
  if (bad_column_ < 0) {
    bad_column_ = static_cast<int>(column_ - 1);
  }
  return false;
}

void SqlRowReader::reject() {
  if (bad_column_ < 0 && column_ > 0) {
    bad_column_ = static_cast<int>(column_ - 1);
  }
}

base::Status SqlRowReader::status() const {
  if (bad_column_ < 0) {
    return {};
  }
  return base::Error(base::ErrorCode::kDataLoss,
                     "stored row has an unexpected value in column " + std::to_string(bad_column_));
}

}  // namespace clearcut::store::sql
