# The workbook area: the label files, the shared table walk, the XLSX and ODS writers.
taseuranta_unit_test(labels)
taseuranta_unit_test(table)

# The writers' driver for the whole-output tests (see tests/tools/wb_driver.c).
add_executable(wb_driver ${CMAKE_CURRENT_SOURCE_DIR}/tools/wb_driver.c)
taseuranta_warnings(wb_driver)
target_include_directories(wb_driver PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(wb_driver PRIVATE taseuranta_core)
target_compile_definitions(wb_driver PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# Whole-output tests: both files written twice (byte-identical), read back with LibreOffice
# headless (a private profile per test), openpyxl and a zip + XML check of the ODF package.
foreach(lang fi sv en)
  add_test(NAME workbook_output_${lang}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_workbook.py
                   $<TARGET_FILE:wb_driver> ${lang}
                   ${CMAKE_CURRENT_BINARY_DIR}/workbook-output-${lang})
  set_tests_properties(workbook_output_${lang} PROPERTIES TIMEOUT 600)
endforeach()
taseuranta_unit_test(ods)

# The workbooks of real round files through `taseuranta build`: every cell as the round says
# (worked out independently from the XML and the label file), merges, numbers, determinism,
# and the 32,767-character refusal at FILE:LINE:COLUMN.
foreach(round valid/multi-measure valid/sv-round valid/en-round valid/minimal valid/unicode
              valid/long-forecast)
  get_filename_component(name ${round} NAME)
  add_test(NAME workbook_round_${name}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_rounds.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/workbook-round-${name}
                   ${CMAKE_CURRENT_SOURCE_DIR}/data/${round}.xml)
  set_tests_properties(workbook_round_${name} PROPERTIES TIMEOUT 600)
endforeach()

# The workbooks printed by LibreOffice: every row as tall as its text (no word over another in
# the PDF), A3 landscape, one page wide, the head on every page; row heights against an
# independent estimate (openpyxl).
add_test(NAME workbook_print
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_workbook_print.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/workbook-print
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/workbook/tall-rows.xml
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/multi-measure.xml
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/sv-round.xml
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/en-round.xml
                 --generated 8)
set_tests_properties(workbook_print PROPERTIES TIMEOUT 600)
