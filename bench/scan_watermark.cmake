# The scanner's watermark check on video (bench/scan_watermark_eval.cc): sync scores of unmarked
# footage against H.264 frames of marked video, and 8-frame windows. Not a *_bench.
add_executable(scan_watermark_eval ${CMAKE_CURRENT_LIST_DIR}/scan_watermark_eval.cc)
target_link_libraries(scan_watermark_eval PRIVATE clearcut_watermark_testing clearcut::watermark
                      clearcut::video clearcut::media clearcut::scan
                      clearcut::domain clearcut::warnings)
set_target_properties(scan_watermark_eval PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                     ${CMAKE_BINARY_DIR}/bench)
