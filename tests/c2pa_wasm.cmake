# Content Credentials written by clearcut, checked by the reference C2PA validator (c2pa-rs as
# WebAssembly, @contentauth/c2pa-wasm pinned in tests/node/package-lock.json): signed JPEG, PNG,
# MP4, WAV and MP3 (MP3s made by ffmpeg at test time: with an ID3v2.4 or v2.3 tag, or none;
# ES256, PS256, Ed25519, an intermediate CA, a store split over APP11 segments, and
# the shared real-world fixtures when present) must be Valid without trust anchors, Trusted
# with the test roots, and declare the digital source type written, in C2PA and in XMP. AI
# edits of files that already carry Content Credentials (one of ours, JPEG, MP4 and MP3; the
# fixtures C.jpg and XCA.jpg) must start with c2pa.opened and name the original's active
# manifest as their one parentOf ingredient, whose source types are reported too.
# Skipped (77) without node or without `npm ci --prefix tests/node` (scripts/npm-install).
add_executable(c2pa_conformance_samples
               ${PROJECT_SOURCE_DIR}/src/clearcut/provenance/c2pa/conformance_samples_main.cc)
target_link_libraries(c2pa_conformance_samples PRIVATE
                      clearcut::c2pa clearcut::xmp clearcut::media clearcut::warnings)
find_program(CLEARCUT_NODE node)
if(CLEARCUT_NODE)
  add_test(NAME c2pa_wasm_conformance
           COMMAND ${CLEARCUT_NODE} ${CMAKE_CURRENT_LIST_DIR}/node/check_conformance.mjs
                   --writer $<TARGET_FILE:c2pa_conformance_samples>
                   --out ${CMAKE_CURRENT_BINARY_DIR}/c2pa_wasm
                   --fixtures ${CLEARCUT_SHARED_DIR}/fixtures/c2pa)
else()
  add_test(NAME c2pa_wasm_conformance
           COMMAND sh -c "echo 'SKIP: node is not installed'; exit 77")
endif()
set_tests_properties(c2pa_wasm_conformance PROPERTIES
                     SKIP_RETURN_CODE 77 LABELS "c2pa;conformance" TIMEOUT 180)

# `clearcut keys init --test-root` makes keys that `clearcut keys check` accepts against the
# new root, private keys with mode 0600, and refuses to overwrite them without --force.
set(keys_dir ${CMAKE_CURRENT_BINARY_DIR}/keys_cli)
add_test(NAME clearcut_keys_cli
         COMMAND sh -c "set -e; rm -rf '${keys_dir}'; c='$<TARGET_FILE:clearcut>'
           \"$c\" keys init --out '${keys_dir}' --test-root --organization 'Example Studios'
           \"$c\" keys check --key '${keys_dir}/signer.key' --cert '${keys_dir}/signer.pem' \
             --trust '${keys_dir}/root.pem'
           test \"$(stat -c %a '${keys_dir}/signer.key')\" = 600
           test \"$(stat -c %a '${keys_dir}/root.key')\" = 600
           if \"$c\" keys init --out '${keys_dir}' --test-root 2>/dev/null; then exit 1; fi
           \"$c\" keys init --out '${keys_dir}' --ca-cert '${keys_dir}/root.pem' \
             --ca-key '${keys_dir}/root.key' --force --days 30
           if \"$c\" keys check --key '${keys_dir}/root.key' --cert '${keys_dir}/root.pem'; then
             exit 1; fi")
set_tests_properties(clearcut_keys_cli PROPERTIES LABELS "c2pa;cli" TIMEOUT 60)
