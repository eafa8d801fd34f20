# The workbook area: the label files, the shared table walk, the XLSX and ODS writers.
taseuranta_unit_test(labels taseuranta_layout)
taseuranta_unit_test(table taseuranta_book taseuranta_slides)

# The writers' driver for the whole-output tests (see tests/tools/wb_driver.c).
add_executable(wb_driver ${CMAKE_CURRENT_SOURCE_DIR}/tools/wb_driver.c)
taseuranta_warnings(wb_driver)
target_include_directories(wb_driver PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(wb_driver PRIVATE taseuranta_book taseuranta_slides)
target_compile_definitions(wb_driver PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# Whole-output tests: both files written twice (byte-identical), read back with LibreOffice
# headless (a private profile per test), openpyxl and a zip + XML check of the ODF package.
foreach(lang fi sv en)
  add_test(NAME workbook_output_${lang}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_workbook.py
                   $<TARGET_FILE:wb_driver> ${lang}
                   ${CMAKE_CURRENT_BINARY_DIR}/workbook-output-${lang})
  set_tests_properties(workbook_output_${lang} PROPERTIES TIMEOUT 600 LABELS slow)
endforeach()
taseuranta_unit_test(ods taseuranta_book taseuranta_slides PkgConfig::LIBXML2)

# The workbooks of real round files through `taseuranta build`: every cell as the round says
# (worked out independently from the XML and the label file; a text cut into the rows below its
# own gives the cell's text whole), merges, numbers, determinism, and the 32,767-character
# refusal at FILE:LINE:COLUMN; Kehitys's words, values, levels and change words, Tilannekuva's
# counts as formulas (stored, and recalculated by LibreOffice) and both files' charts.  The
# sample (whose 2020 forecasts changed), rounds 1 (one round's columns, no change), a round with
# levels, a negative value and a round not reported between two that were.
foreach(round valid/multi-measure valid/sv-round valid/en-round valid/minimal valid/unicode
              valid/long-forecast valid/parser-writer valid/parser-sv workbook/forecast-3000
              workbook/paragraph-29000)
  get_filename_component(name ${round} NAME)
  add_test(NAME workbook_round_${name}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_rounds.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/workbook-round-${name}
                   ${CMAKE_CURRENT_SOURCE_DIR}/data/${round}.xml)
  if(name STREQUAL "minimal")
    set_tests_properties(workbook_round_${name} PROPERTIES TIMEOUT 600 LABELS fast)
  else()
    set_tests_properties(workbook_round_${name} PROPERTIES TIMEOUT 600 LABELS slow)
  endif()
endforeach()
add_test(NAME workbook_round_sample
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_rounds.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/workbook-round-sample
                 ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml)
set_tests_properties(workbook_round_sample PROPERTIES TIMEOUT 600 LABELS slow)

# The workbooks printed whole (outputs.md §2 "Printed whole"): LibreOffice prints each file as it
# is, and every cell's text is found on the pages; rows within 409 pt and a page, rows that
# continue merged as the spec says, the ODS the same as the XLSX.  The sample, a round with a
# 3,000-character forecast, one with a 29,000-character paragraph (and long texts on every
# sheet), rows of many lines, the other languages, and a generated round.
set(TASEURANTA_PRINT_ROUNDS
    ${PROJECT_SOURCE_DIR}/input/kuva-2020-3.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/workbook/forecast-3000.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/workbook/paragraph-29000.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/workbook/tall-rows.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/multi-measure.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/sv-round.xml
    ${CMAKE_CURRENT_SOURCE_DIR}/data/valid/en-round.xml)
foreach(round ${TASEURANTA_PRINT_ROUNDS})
  get_filename_component(name ${round} NAME_WE)
  add_test(NAME workbook_print_${name}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_workbook_print.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/workbook-print-${name} ${round})
  set_tests_properties(workbook_print_${name} PROPERTIES TIMEOUT 600 LABELS slow)
endforeach()
add_test(NAME workbook_print_generated
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_workbook_print.py
                 ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/workbook-print-generated --generated 8)
set_tests_properties(workbook_print_generated PROPERTIES TIMEOUT 600 LABELS slow)
