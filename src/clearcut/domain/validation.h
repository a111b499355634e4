#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "clearcut/base/result.h"

namespace clearcut::domain {

// Checks on the values records carry, shared by whoever stores or accepts them. Each failure is
// kInvalidArgument naming `field`.

// Whether `text` is an RFC 3339 date-time in UTC: YYYY-MM-DDTHH:MM:SS, an optional fraction of
// 1-9 digits, then 'Z'; the date must exist (leap years included), seconds may be 60. Every
// *_at field of a record is one (times come from the service's clock, never the database's).
bool is_rfc3339_utc(std::string_view text);
// The time such a text names (a leap second as the next minute's start), to compare times
// whatever their precision; nullopt when !is_rfc3339_utc(text).
std::optional<std::chrono::system_clock::time_point> parse_rfc3339_utc(std::string_view text);

// A calendar date, YYYY-MM-DD, that exists (a tool's reviewed_on); nullopt for anything else.
std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text);
// The UTC day of a time from the clock: what "today" is for an assessment.
std::chrono::sys_days utc_day(std::chrono::system_clock::time_point time);

base::Status check_time(std::string_view value, std::string_view field);
// Empty (no time: no expiry, not yet used), or a time.
base::Status check_optional_time(std::string_view value, std::string_view field);
base::Status check_not_empty(std::string_view value, std::string_view field);
// A user's e-mail as stored: non-empty and lower case (lookups lower-case what they are given).
base::Status check_email(std::string_view email);

}  // namespace clearcut::domain
