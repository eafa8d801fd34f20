# Fuzzing: the libFuzzer targets (with -DTASEURANTA_FUZZ=ON and clang; tests/fuzz/run builds and
# runs them) and, in every build, the replay of the regression files through the same targets
# and through the command line.  fuzz_round takes round files, fuzz_layout layouts and label
# files.
set(_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)

foreach(target round layout)
  if(target STREQUAL "round")
    set(_replay fuzz_replay)
  else()
    set(_replay fuzz_${target}_replay)
  endif()
  add_executable(${_replay} ${_fuzz}/fuzz_${target}.c ${_fuzz}/fuzz_env.c ${_fuzz}/replay_main.c)
  taseuranta_warnings(${_replay})
  target_link_libraries(${_replay} PRIVATE taseuranta_slides taseuranta_book)
  target_compile_definitions(${_replay} PRIVATE TS_FUZZ_DATA_DIR="${PROJECT_SOURCE_DIR}")

  if(TASEURANTA_FUZZ)
    add_executable(fuzz_${target} ${_fuzz}/fuzz_${target}.c ${_fuzz}/fuzz_env.c)
    taseuranta_warnings(fuzz_${target})
    target_compile_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
    target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_${target} PRIVATE taseuranta_slides taseuranta_book)
    target_compile_definitions(fuzz_${target} PRIVATE TS_FUZZ_DATA_DIR="${PROJECT_SOURCE_DIR}")
  endif()
endforeach()

# Every file the fuzzer once crashed on (tests/data/regress): `check` and `build` exit 0 or 1,
# never crash, and leave no stray file; the fuzz target's own path under every option.
add_test(NAME fuzz_regressions
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/run_regress.py
                 ${TASEURANTA_EXE} $<TARGET_FILE:fuzz_replay>
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/regress ${PROJECT_SOURCE_DIR}/layouts)
set_tests_properties(fuzz_regressions PROPERTIES TIMEOUT 900 LABELS slow)

# The same for the layout target: every file of tests/data/regress-layout (layouts and label
# files that once crashed or hung it) and the seed corpus, as a layout with `build --layout`
# and as the label file of each language with `check` and `build`, and through fuzz_layout's
# own path under every option.
add_test(NAME fuzz_layout_regressions
         COMMAND ${TASEURANTA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/run_regress_layout.py
                 ${TASEURANTA_EXE} $<TARGET_FILE:fuzz_layout_replay> ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/regress-layout ${_fuzz}/corpus-layout)
set_tests_properties(fuzz_layout_regressions PROPERTIES TIMEOUT 900 LABELS slow)

# The workbook reader's target (tests/fuzz/fuzz_book.c: XLSX and ODS, as files and as parts),
# its seed corpus in tests/fuzz/corpus_book and dictionary tests/fuzz/book.dict.  Every build
# replays the corpus and every input it once failed on (tests/data/bookread/regress) through
# the same code, without libFuzzer.
add_executable(fuzz_book_replay ${_fuzz}/fuzz_book.c)
taseuranta_warnings(fuzz_book_replay)
target_compile_definitions(fuzz_book_replay PRIVATE TS_FUZZ_BOOK_REPLAY
                           TS_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(fuzz_book_replay PRIVATE taseuranta_book)
if(TASEURANTA_FUZZ)
  add_executable(fuzz_book ${_fuzz}/fuzz_book.c)
  taseuranta_warnings(fuzz_book)
  target_compile_definitions(fuzz_book PRIVATE TS_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_compile_options(fuzz_book PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_book PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_book PRIVATE taseuranta_book)
endif()
add_test(NAME fuzz_book_corpus
         COMMAND fuzz_book_replay ${_fuzz}/corpus_book ${CMAKE_CURRENT_SOURCE_DIR}/data/bookread/regress)
set_tests_properties(fuzz_book_corpus PROPERTIES TIMEOUT 600 LABELS fast)
