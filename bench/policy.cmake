# The policy engine's benchmarks and the side-by-side comparison with Cedar (wasm) and
# json-rules-engine (bench/README.md). policy_bench measures clearcut alone; policy_export
# writes the compiled rules and the benchmark declarations as JSON for bench/node/.
find_package(benchmark REQUIRED)

add_library(clearcut_policy_corpus STATIC ${CMAKE_CURRENT_LIST_DIR}/policy_corpus.cc)
target_include_directories(clearcut_policy_corpus PUBLIC ${PROJECT_SOURCE_DIR}/src
                           ${PROJECT_SOURCE_DIR})
target_link_libraries(clearcut_policy_corpus PUBLIC clearcut::policy clearcut::domain
                      PRIVATE clearcut::warnings)
target_compile_definitions(clearcut_policy_corpus PUBLIC
  CLEARCUT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

add_executable(policy_bench ${CMAKE_CURRENT_LIST_DIR}/policy_bench.cc)
target_link_libraries(policy_bench PRIVATE clearcut::app clearcut_policies_embedded
                      clearcut::policy clearcut_policy_corpus benchmark::benchmark
                      clearcut::warnings)

add_executable(policy_export ${CMAKE_CURRENT_LIST_DIR}/policy_export.cc)
target_link_libraries(policy_export PRIVATE clearcut::app clearcut_policies_embedded
                      clearcut::policy clearcut_policy_corpus nlohmann_json::nlohmann_json
                      clearcut::warnings)

set_target_properties(policy_bench policy_export PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)

if(CLEARCUT_BUILD_TESTS)
  # Cedar and json-rules-engine must reach clearcut's decision on every declaration (no timing).
  # Needs the npm packages of bench/node (`npm ci --prefix bench/node`); skipped (77) without.
  add_test(NAME policy_peers_agree
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/policy_agree.sh $<TARGET_FILE:policy_export>)
  set_tests_properties(policy_peers_agree PROPERTIES
    SKIP_RETURN_CODE 77 LABELS "policy;bench" TIMEOUT 300)
endif()
