# fuzz_c2pa: libFuzzer target for clearcut::c2pa (fuzz preset, clang). The library is
# instrumented too, so that the fuzzer sees coverage inside the parsers.
# Run: build/fuzz/fuzz/fuzz_c2pa -max_total_time=60 NEW_DIR fuzz/corpus/c2pa
# Seeds are small assets built from scratch by the DISABLED_WriteFuzzSeeds test in
# src/clearcut/provenance/c2pa/validation_test.cc (no third-party fixture is copied).
set(CLEARCUT_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined)
target_compile_options(clearcut_c2pa PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
add_executable(fuzz_c2pa ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_c2pa.cc)
target_link_libraries(fuzz_c2pa PRIVATE clearcut::c2pa clearcut::warnings)
target_compile_options(fuzz_c2pa PRIVATE ${CLEARCUT_FUZZ_FLAGS})
target_link_options(fuzz_c2pa PRIVATE ${CLEARCUT_FUZZ_FLAGS})
# Built with the other fuzzers, so scripts/fuzz-smoke runs it in CI.
add_dependencies(fuzzers fuzz_c2pa)
