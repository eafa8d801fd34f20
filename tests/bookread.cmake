# The workbook reader (src/book/read.h): XLSX and ODS from every writer we have, hostile
# workbooks, and the fuzz target's corpus replayed.
add_executable(bookread_dump ${CMAKE_CURRENT_SOURCE_DIR}/tools/bookread_dump.c)
taseuranta_warnings(bookread_dump)
target_link_libraries(bookread_dump PRIVATE taseuranta_core)
