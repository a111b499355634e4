#include "clearcut/domain/validation.h"

#include <string>

namespace clearcut::domain {
namespace {

int digits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

}  // namespace

std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int year = digits(text, 0, 4);
  int month = digits(text, 5, 2);
  int day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days(date);
}

std::chrono::sys_days utc_day(std::chrono::system_clock::time_point time) {
  return std::chrono::floor<std::chrono::days>(time);
}

bool is_rfc3339_utc(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text.back() != 'Z') {
    return false;
  }
  int year = digits(text, 0, 4);
  int month = digits(text, 5, 2);
  int day = digits(text, 8, 2);
  int hour = digits(text, 11, 2);
  int minute = digits(text, 14, 2);
  int second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return false;
  }
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int days = kDaysInMonth[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
  if (day > days) {
    return false;
  }
  std::string_view rest = text.substr(19, text.size() - 20);
  if (rest.empty()) {
    return true;
  }
  if (rest[0] != '.' || rest.size() < 2 || rest.size() > 10) {
    return false;
  }
  return digits(rest, 1, rest.size() - 1) >= 0;
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339_utc(std::string_view text) {
  if (!is_rfc3339_utc(text)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{year(digits(text, 0, 4)),
                            month(static_cast<unsigned>(digits(text, 5, 2))),
                            day(static_cast<unsigned>(digits(text, 8, 2)))};
  nanoseconds fraction{0};
  if (std::string_view rest = text.substr(20, text.size() - 21); !rest.empty()) {
    int64_t value = digits(rest, 0, rest.size());
    for (size_t i = rest.size(); i < 9; ++i) {
      value *= 10;
    }
    fraction = nanoseconds(value);
  }
  const nanoseconds since_midnight = hours(digits(text, 11, 2)) + minutes(digits(text, 14, 2)) +
                                     seconds(digits(text, 17, 2)) + fraction;
  return time_point_cast<system_clock::duration>(sys_days(date) + since_midnight);
}

base::Status check_time(std::string_view value, std::string_view field) {
  if (!is_rfc3339_utc(value)) {
    return base::invalid_argument("expected an RFC 3339 UTC time").with_field(std::string(field));
  }
  return {};
}

base::Status check_optional_time(std::string_view value, std::string_view field) {
  return value.empty() ? base::Status() : check_time(value, field);
}

base::Status check_not_empty(std::string_view value, std::string_view field) {
  if (value.empty()) {
    return base::invalid_argument("must not be empty").with_field(std::string(field));
  }
  return {};
}

base::Status check_email(std::string_view email) {
  CC_TRY(check_not_empty(email, "email"));
  for (char c : email) {
    if (c >= 'A' && c <= 'Z') {
      return base::invalid_argument("must be lower case").with_field("email");
    }
  }
  return {};
}

}  // namespace clearcut::domain
