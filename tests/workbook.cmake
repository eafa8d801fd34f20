# The workbook area: the label files, the shared table walk, the XLSX and ODS writers.
taseuranta_unit_test(labels)
taseuranta_unit_test(table)

# The writers' driver for the whole-output tests (see tests/tools/wb_driver.c).
add_executable(wb_driver ${CMAKE_CURRENT_SOURCE_DIR}/tools/wb_driver.c)
taseuranta_warnings(wb_driver)
target_include_directories(wb_driver PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(wb_driver PRIVATE taseuranta_core)
target_compile_definitions(wb_driver PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
