# valgrind memcheck on a whole build of the sample round: no error, no leak.  Skipped in the
# sanitizer build (the two instrumentations do not mix).
find_program(VALGRIND valgrind)
if(VALGRIND AND NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_test(NAME memcheck_sample_build
           COMMAND ${VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --show-leak-kinds=definite,indirect,possible
                   --errors-for-leak-kinds=definite,indirect,possible
                   --suppressions=${CMAKE_CURRENT_SOURCE_DIR}/valgrind/voikko.supp
                   ${TASEURANTA_EXE} build ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml
                   -o ${CMAKE_CURRENT_BINARY_DIR}/memcheck-out -q)
  add_test(NAME memcheck_check
           COMMAND ${VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=definite,indirect,possible
                   --suppressions=${CMAKE_CURRENT_SOURCE_DIR}/valgrind/voikko.supp
                   ${TASEURANTA_EXE} check ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)
  set_tests_properties(memcheck_sample_build PROPERTIES TIMEOUT 900 LABELS slow)
  set_tests_properties(memcheck_check PROPERTIES LABELS slow)
endif()
