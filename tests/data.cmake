# The data area: the sample round, the valid test rounds and the benchmark's round generator.

# Every round we ship or test with must pass the strictest check: no error and no warning.
file(GLOB TASEURANTA_VALID_ROUNDS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/*.xml)
list(SORT TASEURANTA_VALID_ROUNDS)
foreach(round ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml ${TASEURANTA_VALID_ROUNDS})
  get_filename_component(stem ${round} NAME_WE)
  add_test(NAME data_check_${stem} COMMAND ${TASEURANTA_EXE} check --strict ${round})
  set_tests_properties(data_check_${stem} PROPERTIES LABELS fast)
endforeach()

# The transcription of the seeds keeps its structure, people, task states and statuses.
add_test(NAME data_sample_round
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_sample_round.py
                 ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)

# bench/gen-round: deterministic, of the promised shape, accepted by check --strict.
add_test(NAME data_gen_round
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_gen_round.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}/bench/gen-round
                 ${PROJECT_SOURCE_DIR}/input/round-1.xsd)

# The sample round is valid by the schema too (the valid test rounds are checked against it by
# parser_valid_files).
find_program(TASEURANTA_XMLLINT xmllint)
if(TASEURANTA_XMLLINT)
  add_test(NAME data_sample_xsd
           COMMAND ${TASEURANTA_XMLLINT} --noout --nonet --schema
                   ${PROJECT_SOURCE_DIR}/input/round-1.xsd ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)
endif()
set_tests_properties(data_sample_round data_gen_round PROPERTIES LABELS slow)
if(TASEURANTA_XMLLINT)
  set_tests_properties(data_sample_xsd PROPERTIES LABELS slow)
endif()
