# Video scan throughput (bench/video_bench.cc): bare FFmpeg decoding against VideoReader handing
# out luma, and against PDQ-hashing every frame, on the same decoder threads. Input:
# VIDEO_BENCH_FILE, else a tiny clip made with the ffmpeg tool at run time.
if(TARGET clearcut_video AND TARGET clearcut_pdq)
  find_package(benchmark REQUIRED)
  add_executable(video_bench ${CMAKE_CURRENT_LIST_DIR}/video_bench.cc)
  target_link_libraries(video_bench PRIVATE clearcut::video clearcut::pdq benchmark::benchmark
                        clearcut::warnings)
  set_target_properties(video_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
endif()
