# The workbook reader (src/book/read.h): XLSX and ODS from every writer we have, hostile
# workbooks, and the fuzz target's corpus replayed.
add_executable(bookread_dump ${CMAKE_CURRENT_SOURCE_DIR}/tools/bookread_dump.c)
taseuranta_warnings(bookread_dump)
target_link_libraries(bookread_dump PRIVATE taseuranta_book)

# Workbooks from every writer we have, each cell checked (tests/tools/check_bookread.py).
foreach(case xlsx_features ods_features writers openpyxl libreoffice big)
  add_test(NAME bookread_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_bookread.py
                   $<TARGET_FILE:bookread_dump> ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/bookread-${case} ${case})
  if(case MATCHES "_features$")
    set_tests_properties(bookread_${case} PROPERTIES TIMEOUT 600 LABELS fast)
  else()
    set_tests_properties(bookread_${case} PROPERTIES TIMEOUT 600 LABELS slow)
  endif()
endforeach()

# Hostile workbooks (tests/tools/test_bookread_hostile.py): each refused with a located message,
# in time and memory.
foreach(case zip_bomb unpacked_total many_entries doctype billion_laughs external_entity
             shared_index ref_beyond style_index overlapping_merges truncated lying_directory
             not_a_zip empty special_files repeat_bomb spaces_bomb too_many_errors odd_zips
             broken_parts xml_limits many_sheets style_lists)
  add_test(NAME bookread_hostile_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_bookread_hostile.py
                   $<TARGET_FILE:bookread_dump> ${CMAKE_CURRENT_BINARY_DIR}/bookread-hostile-${case}
                   ${case})
  set_tests_properties(bookread_hostile_${case} PROPERTIES TIMEOUT 600 LABELS slow)
endforeach()

# The reader's pieces, its look-ups and limits, and every allocation failing in turn.
taseuranta_unit_test(bookread taseuranta_book)

# valgrind memcheck on the reader (not in the sanitizer or fuzz builds: the two instrumentations
# do not mix): the committed workbooks of each writer, read whole, from the file and from bytes.
find_program(VALGRIND valgrind)
if(VALGRIND AND NOT TASEURANTA_SANITIZE AND NOT TASEURANTA_FUZZ)
  foreach(book features.xlsx features.ods ours.xlsx ours.ods openpyxl.xlsx
               lo-features-from-xlsx.ods lo-features-from-ods.xlsx)
    add_test(NAME bookread_memcheck_${book}
             COMMAND ${VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                     --errors-for-leak-kinds=definite,indirect,possible
                     $<TARGET_FILE:bookread_dump> --lookups
                     ${CMAKE_CURRENT_SOURCE_DIR}/data/bookread/${book})
    set_tests_properties(bookread_memcheck_${book} PROPERTIES LABELS slow)
  endforeach()
  add_test(NAME bookread_memcheck_bytes
           COMMAND ${VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=definite,indirect,possible
                   $<TARGET_FILE:bookread_dump> --bytes
                   ${CMAKE_CURRENT_SOURCE_DIR}/data/bookread/features.ods)
  add_test(NAME bookread_memcheck_unit COMMAND ${VALGRIND} --quiet --error-exitcode=99
           --leak-check=full --errors-for-leak-kinds=definite,indirect,possible
           $<TARGET_FILE:test_bookread>)
  set_tests_properties(bookread_memcheck_bytes PROPERTIES LABELS slow)
  set_tests_properties(bookread_memcheck_unit PROPERTIES TIMEOUT 900 LABELS slow)
endif()
