# cc_library(NAME SRCS ... [DEPS ...] [PRIVATE_DEPS ...])
#   Builds clearcut_NAME with the alias clearcut::NAME. DEPS are public, PRIVATE_DEPS private
#   (third-party libraries stay private to their adapter module).
function(cc_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(clearcut_${name} STATIC ${ARG_SRCS})
  add_library(clearcut::${name} ALIAS clearcut_${name})
  target_include_directories(clearcut_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(clearcut_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS}
                        clearcut::warnings)
endfunction()

# cc_test(NAME SRCS ... [DEPS ...] [LABELS ...])
#   A GoogleTest binary whose tests ctest discovers when it runs (not at build time), labelled
#   unit and LABELS. The label tsan also puts it in the target tsan_tests, which the tsan preset
#   builds and runs: the HTTP server, the store's concurrent claims and appends on SQLite and
#   PostgreSQL, the admission gate and checkpointer. The API and security suites run servers
#   too, but under TSan they pull in the whole service (192 compile units against 88, over half
#   an hour on 2 shared cores): they are left out so that CI stays well under its hour.
function(cc_test name)
  if(NOT CLEARCUT_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock
                        clearcut::warnings)
  target_compile_definitions(${name} PRIVATE
    CLEARCUT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CLEARCUT_SHARED_DIR="${CLEARCUT_SHARED_DIR}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60)
  # gtest_discover_tests cannot pass a list in PROPERTIES (the escaped separators are lost on the
  # way and only the first label stuck), so a script that ctest reads after the discovery labels
  # the tests the binary listed; one not built lists none.
  if("tsan" IN_LIST ARG_LABELS)
    set_property(GLOBAL APPEND PROPERTY CLEARCUT_TSAN_TESTS ${name})
  endif()
  set(labels unit ${ARG_LABELS})
  set(script ${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake)
  file(WRITE ${script} "if(DEFINED ${name}_TESTS)\n"
                       "  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${labels}\")\n"
                       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${script})
endfunction()

# cc_embed(TARGET NAMESPACE FILES...)
#   Generates a source file holding each file's bytes, reachable through
#   clearcut::base::find_embedded(path). Link TARGET directly into each executable.
function(cc_embed target)
  cmake_parse_arguments(ARG "" "BASE" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cc)
  set(abs_files)
  foreach(f ${ARG_FILES})
    list(APPEND abs_files ${ARG_BASE}/${f})
  endforeach()
  # A list cannot cross the shell intact; pass it comma-separated.
  string(REPLACE ";" "," files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DBASE=${ARG_BASE} -DFILES=${files_arg}
            -DSYMBOL=${target} -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${abs_files} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${target}")
  # An OBJECT library: its static registrar must reach every executable that links it.
  add_library(${target} OBJECT ${out})
  target_link_libraries(${target} PUBLIC clearcut::base)
endfunction()
