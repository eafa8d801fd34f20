# Allocation failure: the Nth allocation of a parse and of a whole small build fails, for every
# N (tests/alloc/test_alloc_fail.c).  Not with the sanitizers, which replace malloc themselves.
if(NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_executable(test_alloc_fail ${CMAKE_CURRENT_SOURCE_DIR}/alloc/test_alloc_fail.c)
  taseuranta_warnings(test_alloc_fail)
  target_link_libraries(test_alloc_fail PRIVATE taseuranta_core ${CMAKE_DL_LIBS})
  target_compile_definitions(test_alloc_fail PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(_round ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/minimal.xml)
  add_test(NAME alloc_fail_parse COMMAND test_alloc_fail ${_round} --only parse)
  add_test(NAME alloc_fail_build COMMAND test_alloc_fail ${_round})
  set_tests_properties(alloc_fail_parse alloc_fail_build PROPERTIES TIMEOUT 1800)
endif()
