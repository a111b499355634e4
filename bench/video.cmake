# Video scan throughput (bench/video_bench.cc): bare FFmpeg decoding against VideoReader handing
# out luma, PDQ-hashing every frame, and the scanner itself matching every frame against 1M
# registered codes, on the same decoder threads. Input: VIDEO_BENCH_FILE, else a tiny clip made
# with the ffmpeg tool at run time.
find_package(benchmark REQUIRED)
add_executable(video_bench ${CMAKE_CURRENT_LIST_DIR}/video_bench.cc)
target_link_libraries(video_bench PRIVATE clearcut::video clearcut::pdq clearcut::scan
                      clearcut::match clearcut::domain clearcut::audio clearcut::audio_watermark
                      benchmark::benchmark clearcut::warnings)
set_target_properties(video_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)

# What the scanner's box-reduced video hash costs in bits against the exact PDQ hash
# (bench/pdq_box_reduced_eval.cc; bench/README.md, "Video scan throughput").
add_executable(pdq_box_reduced_eval ${CMAKE_CURRENT_LIST_DIR}/pdq_box_reduced_eval.cc)
target_link_libraries(pdq_box_reduced_eval PRIVATE clearcut::video clearcut::pdq clearcut::match
                      clearcut::media
                      clearcut::warnings)
set_target_properties(pdq_box_reduced_eval PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                      ${CMAKE_BINARY_DIR}/bench)
