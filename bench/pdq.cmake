# PDQ hashing and image decoding speed (bench/pdq_bench.cc); bench/pdq_compare.sh sets the hash
# core beside the reference implementation's.
find_package(benchmark REQUIRED)

add_executable(pdq_bench ${CMAKE_CURRENT_LIST_DIR}/pdq_bench.cc)
target_include_directories(pdq_bench PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(pdq_bench PRIVATE clearcut::pdq clearcut::media benchmark::benchmark
                      clearcut::warnings)
target_compile_definitions(pdq_bench PRIVATE CLEARCUT_SHARED_DIR="${CLEARCUT_SHARED_DIR}")
target_compile_options(pdq_bench PRIVATE -ffp-contract=off)  # its synthetic luma, as the driver
set_target_properties(pdq_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)

# The whole pipeline on files (read, decode, hash), beside the reference's in bench/pdq_compare.sh.
add_executable(pdq_file_driver ${CMAKE_CURRENT_LIST_DIR}/pdq_file_driver.cc)
target_include_directories(pdq_file_driver PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(pdq_file_driver PRIVATE clearcut::pdq clearcut::media clearcut::warnings)
set_target_properties(pdq_file_driver PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
