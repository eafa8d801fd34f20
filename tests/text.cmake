# The text engine: font metrics, hyphenation, line breaking, blocks and frame filling.
taseuranta_unit_test(fontmetrics)
taseuranta_unit_test(fontcheck)
taseuranta_unit_test(text)
taseuranta_unit_test(utf8)
taseuranta_unit_test(hyphenate)
taseuranta_unit_test(locale)

# Run by hand, not by ctest: cmake --build <dir> --target bench_text && <dir>/tests/bench_text
add_executable(bench_text EXCLUDE_FROM_ALL ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_text.c)
taseuranta_warnings(bench_text)
target_link_libraries(bench_text PRIVATE taseuranta_core)
target_compile_definitions(bench_text PRIVATE
  TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}" TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")

# The pack's numbers and line breaks through the program, read back with pdftotext: a number's
# groups and its unit on one line, the minus sign in fi and sv, grouped values.
add_test(NAME text_pack_typography COMMAND ${TASEURANTA_PYTHON}
         ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_typography.py --cli ${TASEURANTA_EXE})
