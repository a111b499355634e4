# `clearcut stamp` and `clearcut inspect` end to end (tests/stamp/): runs the binary against a
# seeded demo database and a test signing root, and reads the stamped files back.
cc_test(stamp_test
  SRCS stamp/stamp_test.cc
  DEPS clearcut::service clearcut::c2pa clearcut::watermark clearcut::xmp clearcut_xmp_test_samples
       clearcut::media
       clearcut::video clearcut::audio clearcut_audio_testing
       clearcut_docs_embedded clearcut_policies_embedded nlohmann_json::nlohmann_json
  LABELS stamp)
# ChildProcess (tests/api) runs `clearcut serve` for the --server tests.
target_sources(stamp_test PRIVATE ${CMAKE_CURRENT_LIST_DIR}/api/child_process.cc)
target_include_directories(stamp_test PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(stamp_test PRIVATE CLEARCUT_BINARY="$<TARGET_FILE:clearcut>")
# Every stamped file is also checked by the reference validator (tests/node, c2pa-wasm)
# when node and the npm tooling are installed (scripts/npm-install).
find_program(CLEARCUT_NODE node)
if(CLEARCUT_NODE)
  target_compile_definitions(stamp_test PRIVATE
    CLEARCUT_NODE="${CLEARCUT_NODE}"
    CLEARCUT_VALIDATE_C2PA="${CMAKE_CURRENT_LIST_DIR}/node/validate_c2pa.mjs")
endif()
add_dependencies(stamp_test clearcut)
