#pragma once

#include <chrono>

namespace clearcut::clearance {

// `days` working days (Monday to Friday, UTC) after `from`, at the same time of day: Thursday
// 10:00 plus 2 is Monday 10:00. A start on a Saturday or Sunday counts from the Monday's
// midnight, so Saturday 10:00 plus 2 is Wednesday 00:00. Public holidays are not known. Pure.
std::chrono::system_clock::time_point add_working_days(std::chrono::system_clock::time_point from,
                                                       int days);

}  // namespace clearcut::clearance
