# The parser, the XSD and `taseuranta check`.
taseuranta_unit_test(parser taseuranta_round)
taseuranta_unit_test(model taseuranta_round)
taseuranta_unit_test(roundwrite taseuranta_round)
taseuranta_unit_test(fileio taseuranta_core)
set_tests_properties(unit_parser PROPERTIES TIMEOUT 300)

# Every broken file in tests/data/invalid is refused with its message at its place, and the XSD
# says the same of it where XSD can see the fault.
add_test(NAME parser_invalid_files
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/run_invalid.py
                 ${TASEURANTA_EXE} ${CMAKE_CURRENT_SOURCE_DIR}/data/invalid
                 ${PROJECT_SOURCE_DIR}/input/round-1.xsd)
set_tests_properties(parser_invalid_files PROPERTIES TIMEOUT 600 LABELS fast)

# Every valid file passes `check` (the parser's own with --strict) and the XSD.
add_test(NAME parser_valid_files
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/run_valid.py
                 ${TASEURANTA_EXE} ${CMAKE_CURRENT_SOURCE_DIR}/data/valid
                 ${PROJECT_SOURCE_DIR}/input/round-1.xsd)

# A DOCTYPE never makes the program read another file (checked under strace when it exists).
add_test(NAME parser_no_outside_read
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/no_outside_read.py
                 ${TASEURANTA_EXE} ${CMAKE_CURRENT_SOURCE_DIR}/data/invalid
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/parser-fi.xml)

# The command line: usage errors exit 2 with a hint, --help lists no hidden option, check's
# exit status follows errors and --strict.
add_test(NAME parser_command_line
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_cli.py
                 ${TASEURANTA_EXE} ${CMAKE_CURRENT_SOURCE_DIR}/data)
set_tests_properties(parser_command_line PROPERTIES LABELS fast)
set_tests_properties(parser_valid_files parser_no_outside_read PROPERTIES LABELS slow)

# The round writer: every valid round written again and read back builds the same outputs, and
# the written file passes `check --strict` and the XSD.
add_executable(round_rewrite ${CMAKE_CURRENT_SOURCE_DIR}/tools/round_rewrite.c)
taseuranta_warnings(round_rewrite)
target_link_libraries(round_rewrite PRIVATE taseuranta_round)
file(GLOB _valid_rounds CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/*.xml)
list(SORT _valid_rounds)
add_test(NAME parser_round_rewrite
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_round_rewrite.py
                 ${TASEURANTA_EXE} $<TARGET_FILE:round_rewrite>
                 ${PROJECT_SOURCE_DIR}/input/round-1.xsd ${CMAKE_CURRENT_BINARY_DIR}/round-rewrite
                 ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml ${_valid_rounds})
set_tests_properties(parser_round_rewrite PROPERTIES TIMEOUT 600 LABELS slow)

# valgrind memcheck on new-round of the sample (comments kept, texts emptied, the file written):
# no error, no leak.  Not in the sanitizer build (the two instrumentations do not mix).
find_program(TASEURANTA_VALGRIND valgrind)
if(TASEURANTA_VALGRIND AND NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_test(NAME parser_memcheck_new_round
           COMMAND ${TASEURANTA_VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --show-leak-kinds=definite,indirect,possible
                   --errors-for-leak-kinds=definite,indirect,possible
                   ${TASEURANTA_EXE} new-round ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml
                   -o ${CMAKE_CURRENT_BINARY_DIR}/memcheck-new-round.xml --force --date 2021-02-15)
  set_tests_properties(parser_memcheck_new_round PROPERTIES TIMEOUT 300 LABELS slow)
endif()
