# The web UI end to end: Debian's Chromium driven by playwright-core (tests/web/e2e.mjs)
# against `clearcut serve --demo`. Screenshots land in the build dir's web-screenshots/.
find_program(NODE_EXECUTABLE node)
if(NODE_EXECUTABLE)
  add_test(NAME web_e2e
           COMMAND ${NODE_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/web/e2e.mjs
                   $<TARGET_FILE:clearcut> ${CMAKE_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_e2e PROPERTIES LABELS "web;e2e" SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
# Single sign-on against a real OpenID provider (oidc-provider on loopback) in Chromium.
if(NODE_EXECUTABLE)
  add_test(NAME web_sso_e2e
           COMMAND ${NODE_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/web/sso_e2e.mjs
                   $<TARGET_FILE:clearcut> ${CMAKE_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_sso_e2e PROPERTIES LABELS "web;e2e" SKIP_RETURN_CODE 77 TIMEOUT 180)
endif()
# Password reset by e-mail in Chromium, the e-mail read from a real SMTP server on loopback.
if(NODE_EXECUTABLE)
  add_test(NAME web_reset_e2e
           COMMAND ${NODE_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/web/reset_e2e.mjs
                   $<TARGET_FILE:clearcut> ${CMAKE_BINARY_DIR}/web-screenshots)
  set_tests_properties(web_reset_e2e PROPERTIES LABELS "web;e2e" SKIP_RETURN_CODE 77 TIMEOUT 180)
endif()
# The web UI's code and the browser tests, linted with ESLint (tests/web/eslint.config.mjs) and
# formatted as Prettier writes them (scripts/format-web; both installed by scripts/npm-install).
if(NODE_EXECUTABLE)
  add_test(NAME web_lint
           COMMAND ${NODE_EXECUTABLE} tests/web/node_modules/eslint/bin/eslint.js
                   --config tests/web/eslint.config.mjs --max-warnings 0 web tests/web tests/openapi
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(web_lint PROPERTIES LABELS "web;lint" TIMEOUT 120)
  add_test(NAME web_format COMMAND ${PROJECT_SOURCE_DIR}/scripts/format-web --check)
  set_tests_properties(web_format PROPERTIES LABELS "web;lint" TIMEOUT 120)
endif()
