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
