# The PDF document and tagging layers (src/tag.c, src/pdfdoc.c, src/draw.c).
# unit_tag writes the test documents into this folder; the other tests read them.
set(PDFCORE_OUT ${CMAKE_CURRENT_BINARY_DIR}/pdfcore)
file(MAKE_DIRECTORY ${PDFCORE_OUT})
taseuranta_unit_test(tag)
target_compile_definitions(test_tag PRIVATE TEST_OUT_DIR="${PDFCORE_OUT}")
set_tests_properties(unit_tag PROPERTIES FIXTURES_SETUP pdfcore_files)
