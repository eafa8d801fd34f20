# Allocation failure: the Nth allocation of a parse and of a whole small build fails, for every
# N (tests/alloc/test_alloc_fail.c); the build's sweep (some 13,000 runs) is cut into four
# shards that ctest can run side by side.  Not with the sanitizers, which replace malloc.
if(NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_executable(test_alloc_fail ${CMAKE_CURRENT_SOURCE_DIR}/alloc/test_alloc_fail.c)
  taseuranta_warnings(test_alloc_fail)
  target_link_libraries(test_alloc_fail PRIVATE taseuranta_slides taseuranta_book PkgConfig::LIBXML2
                        ${CMAKE_DL_LIBS})
  target_compile_definitions(test_alloc_fail PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(_round ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/minimal.xml)
  add_test(NAME alloc_fail_parse COMMAND test_alloc_fail ${_round} --only parse)
  set_tests_properties(alloc_fail_parse PROPERTIES LABELS slow)
  foreach(shard 1 2 3 4)
    add_test(NAME alloc_fail_build_${shard}
             COMMAND test_alloc_fail ${_round} --from ${shard} --stride 4)
    # The PDF's pager thread is off in these runs (ts_build_ctx.single_thread), so the Nth
    # allocation is the same one every time.
    set_tests_properties(alloc_fail_build_${shard} PROPERTIES TIMEOUT 1200 LABELS slow)
  endforeach()
endif()
