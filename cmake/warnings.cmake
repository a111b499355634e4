# One place for compiler flags applied to the project's own targets (never third-party ones).
add_library(clearcut_warnings INTERFACE)
add_library(clearcut::warnings ALIAS clearcut_warnings)
target_compile_options(clearcut_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-qual
  -Wformat=2 -Wimplicit-fallthrough -Wvla -fstack-protector-strong)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(clearcut_warnings INTERFACE -Wduplicated-cond -Wlogical-op)
  # GCC 12 at -O3 reports false -Wrestrict overlaps inside libstdc++'s std::string
  # concatenation (GCC PR 105329, fixed in 13); every `a + b` on strings can trip it.
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(clearcut_warnings INTERFACE -Wno-restrict)
  endif()
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Checks GUARDED_BY/REQUIRES (clearcut/base/thread_annotations.h) at compile time; a finding
  # fails the build even where CLEARCUT_WERROR is off.
  target_compile_options(clearcut_warnings INTERFACE -Wthread-safety -Werror=thread-safety)
endif()
if(CLEARCUT_WERROR)
  target_compile_options(clearcut_warnings INTERFACE -Werror)
endif()

# Sanitizers are set globally so that every object, tests included, is instrumented alike.
if(CLEARCUT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer excludes ASan, so it has a build (and preset) of its own.
if(CLEARCUT_SANITIZE_THREAD)
  if(CLEARCUT_SANITIZE)
    message(FATAL_ERROR "CLEARCUT_SANITIZE and CLEARCUT_SANITIZE_THREAD cannot share a build")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# Fuzz builds instrument every object for coverage, so libFuzzer sees inside the libraries it
# drives, not only the harness; the harness alone links the fuzzer's main.
if(CLEARCUT_BUILD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
