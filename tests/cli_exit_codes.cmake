# One exit code table for the whole CLI (cmd/clearcut/exit_codes.h): bad input and a database
# that cannot be opened exit 2 from every command, never 1 (an answer), and each --help ends
# with the table (tests/cli/exit_codes.sh).
add_test(NAME clearcut_cli_exit_codes
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/cli/exit_codes.sh $<TARGET_FILE:clearcut>)
set_tests_properties(clearcut_cli_exit_codes PROPERTIES LABELS "cli" TIMEOUT 120)
