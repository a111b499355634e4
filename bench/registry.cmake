# The scan registry (bench/registry_bench.cc): a registry read whole per job beside one kept by
# a scan worker and refreshed, and its memory per PDQ code.
add_executable(registry_bench ${CMAKE_CURRENT_LIST_DIR}/registry_bench.cc)
target_include_directories(registry_bench PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(registry_bench PRIVATE clearcut::service clearcut::scan clearcut_docs_embedded
                      clearcut_policies_embedded clearcut::warnings)
set_target_properties(registry_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
