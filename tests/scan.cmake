# scan: end to end through a seeded demo database, generated stills registered as assets, host
# videos built with the ffmpeg CLI, a watermarked clip cut into H.264 footage, the scanner
# library and the `clearcut scan` command.
find_program(CLEARCUT_FFMPEG_CLI ffmpeg)
if(CLEARCUT_FFMPEG_CLI)
  cc_test(scan_e2e_test SRCS scan/scan_e2e_test.cc
          DEPS clearcut::scan clearcut::stamp clearcut::service clearcut::media clearcut::pdq
               clearcut::watermark clearcut_watermark_testing clearcut_xmp_test_samples
               clearcut_policies_embedded clearcut_docs_embedded nlohmann_json::nlohmann_json
          LABELS scan)
  target_compile_definitions(scan_e2e_test PRIVATE
    CLEARCUT_BINARY="$<TARGET_FILE:clearcut>" FFMPEG_CLI="${CLEARCUT_FFMPEG_CLI}")
  add_dependencies(scan_e2e_test clearcut)
endif()
