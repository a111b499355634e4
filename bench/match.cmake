# Radius search over 256-bit codes (bench/match_bench.cc): clearcut::match beside FAISS's binary
# indexes when libfaiss-dev is installed, and beside the PDQ reference's indexes when
# MATCH_PDQ_REFERENCE_DIR names a facebook/ThreatExchange checkout (bench/match_compare.sh sets
# it). Neither is needed to build.
find_package(benchmark REQUIRED)

add_executable(match_bench ${CMAKE_CURRENT_LIST_DIR}/match_bench.cc)
target_link_libraries(match_bench PRIVATE clearcut::match benchmark::benchmark clearcut::warnings)
set_target_properties(match_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)

# Debian's libfaiss-dev ships a CMake package whose target needs OpenMP::OpenMP_CXX.
find_package(OpenMP QUIET)
if(OpenMP_CXX_FOUND)
  find_package(faiss CONFIG QUIET)
endif()
# FAISS is an optional external peer: the bench builds without it.
if(TARGET faiss)
  target_link_libraries(match_bench PRIVATE faiss OpenMP::OpenMP_CXX)
  target_compile_definitions(match_bench PRIVATE CLEARCUT_MATCH_BENCH_FAISS)
else()
  message(STATUS "match_bench: FAISS not found (apt-get install libfaiss-dev); left out")
endif()

set(MATCH_PDQ_REFERENCE_DIR "" CACHE PATH
    "A facebook/ThreatExchange checkout; match_bench then times the PDQ reference's indexes")
if(MATCH_PDQ_REFERENCE_DIR)
  set(pdq_cpp ${MATCH_PDQ_REFERENCE_DIR}/pdq/cpp)
  if(NOT EXISTS ${pdq_cpp}/index/flat.h)
    message(FATAL_ERROR "MATCH_PDQ_REFERENCE_DIR: no pdq/cpp/index/flat.h under ${MATCH_PDQ_REFERENCE_DIR}")
  endif()
  # The reference is third-party code: its own flags, no warnings of ours. flat.h picks its
  # AVX-512 path at compile time, so it (and the bench including it) is built for this CPU.
  add_library(match_pdq_reference OBJECT ${pdq_cpp}/common/pdqhashtypes.cpp
                                         ${pdq_cpp}/common/pdqhamming.cpp)
  target_include_directories(match_pdq_reference SYSTEM PRIVATE ${MATCH_PDQ_REFERENCE_DIR})
  target_compile_options(match_pdq_reference PRIVATE -O3 -march=native -w)
  target_sources(match_bench PRIVATE $<TARGET_OBJECTS:match_pdq_reference>)
  target_include_directories(match_bench SYSTEM PRIVATE ${MATCH_PDQ_REFERENCE_DIR})
  target_compile_definitions(match_bench PRIVATE CLEARCUT_MATCH_BENCH_PDQ_REFERENCE)
  target_compile_options(match_bench PRIVATE -march=native)
endif()
