# HTTP server under load: bench/http_bench.sh drives a running server with wrk (Debian package
# `wrk`) while idle_connections holds N keep-alive connections open. Not named *_bench: it is a
# helper that runs until killed, not a benchmark the smoke runner could execute.
add_executable(idle_connections ${CMAKE_CURRENT_LIST_DIR}/idle_connections.cc)
target_link_libraries(idle_connections PRIVATE clearcut::warnings)
set_target_properties(idle_connections PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
