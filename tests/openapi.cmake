# docs/openapi.json (embedded in the binary, served at /api/v1/openapi.json) is a valid OpenAPI
# 3.0.3 document whose examples match its schemas (openapi_validate, node); it lists exactly the
# routes the ApiServer registers, public and authenticated alike (openapi_routes_test, C++); and
# a live `clearcut serve --demo` answers every operation with documented statuses and bodies
# that match the schemas strictly (openapi_responses, node). The node tests need
# `npm ci --prefix tests/openapi`; without it (or without node) they are skipped (exit 77).
find_program(CLEARCUT_NODE node)
if(CLEARCUT_NODE)
  add_test(NAME openapi_validate
           COMMAND ${CLEARCUT_NODE} ${CMAKE_CURRENT_LIST_DIR}/openapi/validate.mjs
                   ${PROJECT_SOURCE_DIR}/docs/openapi.json)
else()
  add_test(NAME openapi_validate
           COMMAND sh -c "echo 'SKIP: node is not installed'; exit 77")
endif()
set_tests_properties(openapi_validate PROPERTIES SKIP_RETURN_CODE 77 LABELS "openapi" TIMEOUT 60)

cc_test(openapi_routes_test
  SRCS ${CMAKE_CURRENT_LIST_DIR}/openapi/openapi_routes_test.cc
  DEPS clearcut::service clearcut_docs_embedded clearcut_policies_embedded
       nlohmann_json::nlohmann_json
  LABELS openapi)
if(CLEARCUT_NODE)
  add_test(NAME openapi_responses
           COMMAND ${CLEARCUT_NODE} ${CMAKE_CURRENT_LIST_DIR}/openapi/check_responses.mjs
                   $<TARGET_FILE:clearcut>)
else()
  add_test(NAME openapi_responses COMMAND sh -c "echo 'SKIP: node is not installed'; exit 77")
endif()
set_tests_properties(openapi_responses PROPERTIES
  SKIP_RETURN_CODE 77 LABELS "openapi" TIMEOUT 180)
