# `clearcut assess` on a final-asset declaration whose summary quote is never closed (issue #11):
# exit 2 and an error at the quote's file, line and column. The old reader took the rest of the
# file as the summary and escalated (exit 10); the same declaration closed needs written approval
# (exit 20).
set(broken ${PROJECT_SOURCE_DIR}/src/clearcut/domain/testdata/final-asset-unterminated-quote.yaml)
add_test(NAME clearcut_assess_malformed_yaml
         COMMAND sh -c "c='$<TARGET_FILE:clearcut>'
           \"$c\" assess '${PROJECT_SOURCE_DIR}/examples/second-doll.yaml' >/dev/null
           code=$?; test $code -eq 20 || { echo \"closed quote: exit $code, expected 20\"; exit 1; }
           out=$(\"$c\" assess '${broken}' 2>&1); code=$?
           echo \"$out\"
           test $code -eq 2 || { echo \"unclosed quote: exit $code, expected 2\"; exit 1; }
           echo \"$out\" | grep -F 'final-asset-unterminated-quote.yaml:6:10: malformed YAML'")
set_tests_properties(clearcut_assess_malformed_yaml PROPERTIES LABELS "policy;cli" TIMEOUT 60)
