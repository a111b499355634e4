# Security tests (tests/security/): the attacks of the security review against a real server and
# tenant isolation of the read paths, over SQLite and, under scripts/with-postgres, PostgreSQL;
# tampering with databases the service produced, through `clearcut audit verify`; checkpoints at
# startup, by count and at shutdown; the service refusing a tampered log or a lost signing key;
# key rotation; file modes.
# Run: scripts/with-postgres BUILD/tests/security_test
# clearcut_api_test_support comes from api.cmake, included before this fragment.
find_package(SQLite3 REQUIRED)
cc_test(security_test
  SRCS security/attacks_test.cc security/isolation_test.cc
       security/security_fixture.cc security/audit_tamper_tables_test.cc
       security/audit_startup_test.cc
  DEPS clearcut_api_test_support clearcut::service clearcut_docs_embedded
       clearcut_policies_embedded SQLite::SQLite3
  LABELS security)
target_compile_definitions(security_test PRIVATE CLEARCUT_BINARY="$<TARGET_FILE:clearcut>"
  CLEARCUT_SECURITY_TEST_CACHE="${CMAKE_CURRENT_BINARY_DIR}/security_test_cache")
add_dependencies(security_test clearcut)
