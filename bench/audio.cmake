# Audio fingerprints against Chromaprint (bench/audio_fingerprint_eval.cc): recall, start/end
# error, false matches and CPU time per transformation of issue #18. Needs libchromaprint-dev
# (scripts/bootstrap installs it); without it the eval is left out and nothing else changes.
# Not a *_bench: bench-smoke skips it; its --smoke pass runs as the ctest test
# audio_fingerprint_eval_smoke.
pkg_check_modules(CLEARCUT_CHROMAPRINT IMPORTED_TARGET libchromaprint)
if(CLEARCUT_CHROMAPRINT_FOUND)
  add_executable(audio_fingerprint_eval ${CMAKE_CURRENT_LIST_DIR}/audio_fingerprint_eval.cc)
  target_link_libraries(audio_fingerprint_eval PRIVATE clearcut_audio_testing clearcut::audio
                        clearcut::video PkgConfig::CLEARCUT_CHROMAPRINT clearcut::warnings)
  target_include_directories(audio_fingerprint_eval PRIVATE ${PROJECT_SOURCE_DIR})
  set_target_properties(audio_fingerprint_eval PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                          ${CMAKE_BINARY_DIR}/bench)
  if(CLEARCUT_BUILD_TESTS)
    add_test(NAME audio_fingerprint_eval_smoke COMMAND audio_fingerprint_eval --smoke)
    set_tests_properties(audio_fingerprint_eval_smoke PROPERTIES LABELS "audio;bench" TIMEOUT 300)
  endif()
else()
  message(STATUS "audio_fingerprint_eval: libchromaprint not found (apt-get install "
                 "libchromaprint-dev); left out")
endif()

# The audio watermark's robustness table (bench/audio_watermark_eval.cc); its --smoke pass runs
# as the ctest test audio_watermark_eval_smoke.
add_executable(audio_watermark_eval ${CMAKE_CURRENT_LIST_DIR}/audio_watermark_eval.cc)
target_link_libraries(audio_watermark_eval PRIVATE clearcut_audio_testing clearcut::audio_watermark
                      clearcut::audio clearcut::warnings)
target_include_directories(audio_watermark_eval PRIVATE ${PROJECT_SOURCE_DIR})
set_target_properties(audio_watermark_eval PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                      ${CMAKE_BINARY_DIR}/bench)
if(CLEARCUT_BUILD_TESTS)
  add_test(NAME audio_watermark_eval_smoke COMMAND audio_watermark_eval --smoke)
  set_tests_properties(audio_watermark_eval_smoke PROPERTIES LABELS "audio;bench" TIMEOUT 300)
endif()
