# Hostile and extreme inputs through `taseuranta build`, and outputs that appear whole or not at
# all: a round's files put in place as one set or not at all, a run stopped by a signal, a full
# /tmp (tests/tools/test_hostile.py: each case under a time limit and, outside ASan, a memory
# cap).
foreach(case doctype billion_laughs deep_nesting huge_file big_paragraph bad_bytes unicode long_id
             many_tasks unwritable disk_full file_size_limit cell_too_long symlinks set_rollback
             signals full_tmp)
  add_test(NAME hostile_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_hostile.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${case})
  set_tests_properties(hostile_${case} PROPERTIES TIMEOUT 1200 LABELS slow)
endforeach()
