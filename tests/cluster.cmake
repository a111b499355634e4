# Issue #16's deployment test (tests/cluster/cluster.py): 2 `serve` and 3 `scan-worker` processes
# on one PostgreSQL database; 30 scans submitted through both servers each run exactly once, one
# survives its worker's SIGKILL (taken over by another), every report reads through either
# server, and `audit verify` passes. Needs CLEARCUT_TEST_PG_URL (scripts/test runs ctest under
# scripts/with-postgres); skipped (77) without it. `scripts/cluster` runs the same deployment.
find_program(CLEARCUT_CLUSTER_PYTHON python3)
if(CLEARCUT_CLUSTER_PYTHON)
  add_test(NAME cluster
           COMMAND sh -c "[ -n \"$CLEARCUT_TEST_PG_URL\" ] || { echo 'SKIP: CLEARCUT_TEST_PG_URL is not set (scripts/with-postgres)'; exit 77; }; exec ${CLEARCUT_CLUSTER_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/cluster/cluster.py $<TARGET_FILE:clearcut>")
else()
  add_test(NAME cluster COMMAND sh -c "echo 'SKIP: python3 is not installed'; exit 77")
endif()
set_tests_properties(cluster PROPERTIES SKIP_RETURN_CODE 77 LABELS "cluster;store" PROCESSORS 2
                     TIMEOUT 900)
