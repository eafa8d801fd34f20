# Hostile layouts, label files and options through `taseuranta check` and `build`
# (tests/tools/test_layout_input.py: each case with the program's exit status, the place of
# every message, and nothing written).  The TIMEOUT is what stops an input that would take
# time quadratic in its size; no case measures time.
foreach(case attr_flood message_cap first_byte big_lines namespaces numbers empty_colour
             frame_sizes minimal_layout counts label_lengths sheet_names label_element
             empty_output division_short temp_names)
  add_test(NAME layouts_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_layout_input.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${case})
  set_tests_properties(layouts_${case} PROPERTIES TIMEOUT 300)
endforeach()
