#include "clearcut/clearance/working_days.h"

namespace clearcut::clearance {
namespace {

bool is_weekend(std::chrono::sys_days day) {
  std::chrono::weekday w{day};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

}  // namespace

std::chrono::system_clock::time_point add_working_days(std::chrono::system_clock::time_point from,
                                                       int days) {
  std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(from);
  std::chrono::system_clock::duration time_of_day = from - day;
  while (is_weekend(day)) {
    day += std::chrono::days{1};
    time_of_day = {};
  }
  for (int counted = 0; counted < days;) {
    day += std::chrono::days{1};
    if (!is_weekend(day)) {
      ++counted;
    }
  }
  return day + time_of_day;
}

}  // namespace clearcut::clearance
