# The table import (src/book/import_table.h): a division's strategy-measure table read into a new
# round file.  Its driver stands in for `taseuranta import` until that command takes a table.
add_executable(table_import ${CMAKE_CURRENT_SOURCE_DIR}/tools/table_import.c)
taseuranta_warnings(table_import)
target_link_libraries(table_import PRIVATE taseuranta_core)
target_compile_definitions(table_import PRIVATE TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
