# Issue #15's bar (tests/notify/notify_bar.py): a submitted use case reaches the contact by
# e-mail (a real SMTP server on loopback, aiosmtpd) within 5 s and a webhook whose signature
# the receiver verifies on its own; 20 SIGKILLs of `serve` during delivery lose nothing, and
# what was delivered twice is counted. Skipped (77) without python3-aiosmtpd (scripts/bootstrap).
# Debian's python3 first: python3-aiosmtpd installs there, not into another interpreter on PATH.
find_program(CLEARCUT_NOTIFY_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(CLEARCUT_NOTIFY_PYTHON python3)
if(CLEARCUT_NOTIFY_PYTHON)
  add_test(NAME notify_bar
           COMMAND sh -c "${CLEARCUT_NOTIFY_PYTHON} -c 'import aiosmtpd' 2>/dev/null || { echo 'SKIP: python3-aiosmtpd is not installed'; exit 77; }; exec ${CLEARCUT_NOTIFY_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/notify/notify_bar.py $<TARGET_FILE:clearcut>")
else()
  add_test(NAME notify_bar COMMAND sh -c "echo 'SKIP: python3 is not installed'; exit 77")
endif()
set_tests_properties(notify_bar PROPERTIES SKIP_RETURN_CODE 77 LABELS "notify" TIMEOUT 600)
