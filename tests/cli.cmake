# The command line as a user meets it: help and man page, usage errors, new-round, batches,
# atomic outputs, SOURCE_DATE_EPOCH, outputs two rounds or an input claim, concurrent runs into one
# folder, shipped layouts by name, check's closing lines and an installed copy.
foreach(case help_man usage new_round_year new_round_history new_round_date new_round_force
             new_round_paths new_round_temp batch atomic strict install epoch same_stem
             output_is_input concurrent layout_name check_line reread)
  add_test(NAME cli_${case}
           COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/test_cli.py
                   ${TASEURANTA_EXE} ${PROJECT_SOURCE_DIR} ${case})
  if(case STREQUAL "help_man" OR case STREQUAL "usage")
    set_tests_properties(cli_${case} PROPERTIES LABELS fast)
  else()
    set_tests_properties(cli_${case} PROPERTIES LABELS slow)
  endif()
endforeach()
set_tests_properties(cli_batch cli_install cli_concurrent PROPERTIES TIMEOUT 600)
