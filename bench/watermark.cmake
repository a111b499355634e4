# Watermark robustness evaluation (bench/watermark_eval.cc): embeds, attacks and detects over the
# photo set and synthetic video frames and prints a table. Not a *_bench: bench-smoke skips it.
add_executable(watermark_eval ${CMAKE_CURRENT_LIST_DIR}/watermark_eval.cc)
target_link_libraries(watermark_eval PRIVATE clearcut_watermark_testing clearcut::watermark
                      clearcut::media clearcut::warnings)
target_compile_definitions(watermark_eval PRIVATE CLEARCUT_SHARED_DIR="${CLEARCUT_SHARED_DIR}")
set_target_properties(watermark_eval PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)

# The same on generated video through the stamp path (bench/video_watermark_eval.cc): marked and
# re-encoded by media::rewrite_video as `clearcut stamp` does, attacked with the ffmpeg tool,
# searched per frame and per 8-frame window. Not a *_bench: bench-smoke skips it.
add_executable(video_watermark_eval ${CMAKE_CURRENT_LIST_DIR}/video_watermark_eval.cc)
target_link_libraries(video_watermark_eval PRIVATE clearcut::watermark clearcut::video
                      clearcut::warnings)
set_target_properties(video_watermark_eval PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                      ${CMAKE_BINARY_DIR}/bench)

# Embedding and single-picture detection cost at 1080p (bench/watermark_bench.cc).
find_package(benchmark REQUIRED)
add_executable(watermark_bench ${CMAKE_CURRENT_LIST_DIR}/watermark_bench.cc)
target_link_libraries(watermark_bench PRIVATE clearcut_watermark_testing clearcut::watermark
                      clearcut::media benchmark::benchmark clearcut::warnings)
set_target_properties(watermark_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
