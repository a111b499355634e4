# API integration tests (tests/api/): the REST API against a real server on port 0 over SQLite
# and, under scripts/with-postgres, PostgreSQL; crash safety of `clearcut serve`; tampering
# with the audit log end to end. Run: scripts/with-postgres ctest --test-dir BUILD -R api
find_package(SQLite3 REQUIRED)

add_library(clearcut_api_test_support STATIC
  api/http_client.cc api/api_fixture.cc api/child_process.cc)
target_include_directories(clearcut_api_test_support PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(clearcut_api_test_support PUBLIC
  clearcut::service nlohmann_json::nlohmann_json GTest::gtest clearcut::warnings)
# Demo databases seeded once per build of a test program (Argon2 makes them slow to make).
target_compile_definitions(clearcut_api_test_support PRIVATE
  CLEARCUT_API_TEST_CACHE="${CMAKE_CURRENT_BINARY_DIR}/api_test_cache")

cc_test(api_test
  SRCS api/api_workflow_test.cc api/api_authorization_test.cc api/api_bad_input_test.cc
       api/api_scan_test.cc api/api_attachment_test.cc api/api_account_test.cc
       api/api_export_test.cc api/delivery_fixture.cc
  DEPS clearcut_api_test_support clearcut::service clearcut_docs_embedded
       clearcut_policies_embedded clearcut::scan clearcut::media clearcut::pdq
  LABELS api)

# Runs the `clearcut` binary as a child process: SIGKILL mid-stream, `audit verify`,
# `audit verify-certificate`.
cc_test(api_process_test
  SRCS api/crash_safety_test.cc api/audit_tamper_test.cc api/approval_certificate_test.cc
  DEPS clearcut_api_test_support clearcut::service clearcut_docs_embedded
       clearcut_policies_embedded SQLite::SQLite3
  LABELS api)
target_compile_definitions(api_process_test PRIVATE
  CLEARCUT_BINARY="$<TARGET_FILE:clearcut>")
add_dependencies(api_process_test clearcut)
