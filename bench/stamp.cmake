# Stamping throughput (bench/stamp_bench.cc): `clearcut stamp`'s pipeline per file, end to end
# and stage by stage.
find_package(benchmark REQUIRED)
add_executable(stamp_bench ${CMAKE_CURRENT_LIST_DIR}/stamp_bench.cc)
target_include_directories(stamp_bench PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(stamp_bench PRIVATE clearcut::c2pa clearcut::watermark clearcut::xmp
                      clearcut::pdq clearcut::media clearcut::video clearcut::stamp benchmark::benchmark
                      clearcut::warnings)
set_target_properties(stamp_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
