# The guides in docs/: every picture and every relative link they name exists.
add_test(NAME docs_links COMMAND bash ${PROJECT_SOURCE_DIR}/tests/docs/check_links.sh
                                 ${PROJECT_SOURCE_DIR}/docs)
set_tests_properties(docs_links PROPERTIES LABELS "docs")
