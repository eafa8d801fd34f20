# The workbook reader (src/book/read.h): XLSX and ODS from every writer we have, hostile
# workbooks, and the fuzz target's corpus replayed.
add_executable(bookread_dump ${CMAKE_CURRENT_SOURCE_DIR}/tools/bookread_dump.c)
taseuranta_warnings(bookread_dump)
target_link_libraries(bookread_dump PRIVATE taseuranta_core)

# Workbooks from every writer we have, each cell checked (tests/tools/check_bookread.py).
foreach(case xlsx_features ods_features writers openpyxl libreoffice big)
  add_test(NAME bookread_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_bookread.py
                   $<TARGET_FILE:bookread_dump> ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/bookread-${case} ${case})
  set_tests_properties(bookread_${case} PROPERTIES TIMEOUT 600)
endforeach()

# Hostile workbooks (tests/tools/test_bookread_hostile.py): each refused with a located message,
# in time and memory.
foreach(case zip_bomb unpacked_total many_entries doctype billion_laughs external_entity
             shared_index ref_beyond style_index overlapping_merges truncated lying_directory
             not_a_zip empty special_files repeat_bomb spaces_bomb too_many_errors odd_zips
             broken_parts)
  add_test(NAME bookread_hostile_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_bookread_hostile.py
                   $<TARGET_FILE:bookread_dump> ${CMAKE_CURRENT_BINARY_DIR}/bookread-hostile-${case}
                   ${case})
  set_tests_properties(bookread_hostile_${case} PROPERTIES TIMEOUT 600)
endforeach()
