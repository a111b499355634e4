#pragma once

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "clearcut/base/error.h"

namespace clearcut::base {

// The value of an operation that can fail in an expected way, or the Error that says why.
// Shaped like std::expected (C++23) so it can become one; GCC 12 in C++20 mode has none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit

  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  void value() const {}
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool failed_ = false;
};

using Status = Result<void>;

[[noreturn]] void check_failed(const char* expr, const char* file, int line, const char* message);

}  // namespace clearcut::base

// Evaluates a Result-returning expression; on error returns the error from the enclosing
// function, otherwise yields the value. GNU statement expression, as in Ladybird's TRY; the
// temporary gets a unique name so that CC_TRY nests (CC_TRY(f(CC_TRY(g())))).
#define CC_TRY(expr) CC_TRY_IMPL_(expr, CC_CONCAT_(cc_try_result_, __COUNTER__))
#define CC_CONCAT_(a, b) CC_CONCAT_INNER_(a, b)
#define CC_CONCAT_INNER_(a, b) a##b
#define CC_TRY_IMPL_(expr, name)          \
  __extension__({                         \
    auto name = (expr);                   \
    if (!name.has_value()) [[unlikely]] { \
      return std::move(name).error();     \
    }                                     \
    std::move(name).value();              \
  })

// An invariant of the program, never of external input: aborts with a message when false.
#define CC_CHECK(cond)                                                    \
  do {                                                                    \
    if (!(cond)) [[unlikely]] {                                           \
      ::clearcut::base::check_failed(#cond, __FILE__, __LINE__, nullptr); \
    }                                                                     \
  } while (false)
