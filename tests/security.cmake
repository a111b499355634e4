# Security tests (tests/security/): the attacks of the security review against a real server,
# over SQLite and, under scripts/with-postgres, PostgreSQL.
if(TARGET clearcut_api_test_support AND CLEARCUT_BUILD_TESTS)
  cc_test(security_test
    SRCS security/attacks_test.cc security/isolation_test.cc
    DEPS clearcut_api_test_support clearcut::service clearcut_docs_embedded
         clearcut_policies_embedded
    LABELS security)
endif()
