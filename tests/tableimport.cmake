# The table import (src/book/import_table.h): a division's strategy-measure table read into a new
# round file by `taseuranta import`; the module's own driver gives the torture test its
# allocation hook.
add_executable(table_import ${CMAKE_CURRENT_SOURCE_DIR}/tools/table_import.c)
taseuranta_warnings(table_import)
target_link_libraries(table_import PRIVATE taseuranta_book)
target_compile_definitions(table_import PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# Whole-output tests (tests/tools/check_table_import.py): tables made as an office keeps them,
# and our own workbook, imported; the round says what the table says and check accepts it.
foreach(case own_xlsx own_ods seed2021 seed2020 sv en last_year no_table no_year odd docs
             form_city)
  add_test(NAME tableimport_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_table_import.py
                   ${TASEURANTA_EXE} ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/tableimport-${case} ${case})
  if(case STREQUAL "seed2021" OR case STREQUAL "docs")
    set_tests_properties(tableimport_${case} PROPERTIES TIMEOUT 600 LABELS fast)
  else()
    set_tests_properties(tableimport_${case} PROPERTIES TIMEOUT 600 LABELS slow)
  endif()
endforeach()
# form_city writes a form: libxlsxwriter's own leak of a list's formula under ASan
# (tests/sanitizers/lsan.supp).
set_tests_properties(tableimport_form_city PROPERTIES ENVIRONMENT
                     "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/sanitizers/lsan.supp")
# Every allocation of the import failing in turn, through the driver's hook.
add_test(NAME tableimport_torture
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_table_import.py
                 $<TARGET_FILE:table_import> ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/tableimport-torture torture)
set_tests_properties(tableimport_torture PROPERTIES TIMEOUT 600 LABELS slow)
# The same table saved as ODS by LibreOffice.
add_test(NAME tableimport_seed2021_ods
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_table_import.py
                 ${TASEURANTA_EXE} ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/tableimport-seed2021_ods seed2021_ods)
set_tests_properties(tableimport_seed2021_ods PROPERTIES TIMEOUT 600 LABELS slow)

# valgrind memcheck on the import (not in the sanitizer or fuzz builds: the two instrumentations
# do not mix).
find_program(TASEURANTA_VALGRIND valgrind)
if(TASEURANTA_VALGRIND AND NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  add_test(NAME tableimport_memcheck
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_table_import.py
                   ${TASEURANTA_EXE} ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/tableimport-memcheck memcheck)
  set_tests_properties(tableimport_memcheck PROPERTIES TIMEOUT 900 LABELS slow)
endif()
